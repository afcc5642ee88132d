package io.multiprocess.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot web application that runs CPU-heavy work in worker JVMs through the {@code ProcessPool} the starter
 * provides: work that may crash its JVM, or run away and be cut off by a timeout, without hurting the service.
 * Open http://localhost:8080/ for the status page; {@code /actuator/health} shows {@code multiprocess}.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
