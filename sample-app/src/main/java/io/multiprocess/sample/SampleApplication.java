package io.multiprocess.sample;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application that runs work in child JVMs. For now it starts one process with a lambda that
 * captures a value, and reports how it ended; the pool, web endpoints and actuator come with the starter.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    @Bean
    CommandLineRunner runInAChildJvm() {
        return args -> {
            BaseContext ctx = Multiprocess.getContext();
            long parentPid = ProcessHandle.current().pid();
            int n = 35;
            MpProcess child = ctx.process("fibonacci", () -> System.out.printf(
                    "[%s pid %d, parent %d] fib(%d) = %d%n", Multiprocess.currentProcess().getName(),
                    ProcessHandle.current().pid(), parentPid, n, fib(n)));
            child.start();
            child.join();
            System.out.printf("[main pid %d] child %s (%s) exited with code %d%n", parentPid, child.getName(),
                    ctx.getStartMethod(), child.exitCode());
        };
    }

    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }
}
