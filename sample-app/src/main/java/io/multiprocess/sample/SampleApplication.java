package io.multiprocess.sample;

import io.multiprocess.spring.boot.autoconfigure.ProcessPoolCustomizer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot web application that runs work in worker JVMs through the pools the starter provides: CPU-heavy
 * work in the primary pool ({@code multiprocess.pool}), risky work in a small-heap pool of its own
 * ({@code multiprocess.pools.isolated}), where running out of memory or crashing costs one task and not the service.
 * Open http://localhost:8080/ for the status page, http://localhost:8080/multiprocess for the starter's live
 * dashboard; {@code /actuator/health} shows {@code multiprocess}.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    @Bean
    RecentTasks recentTasks() {
        return new RecentTasks();
    }

    /** Every pool the starter makes reports its finished tasks to the status page, from its first worker on. */
    @Bean
    ProcessPoolCustomizer recentTasksOfEveryPool(RecentTasks recent) {
        return pool -> pool.listener(recent.listenerFor(pool.name()));
    }
}
