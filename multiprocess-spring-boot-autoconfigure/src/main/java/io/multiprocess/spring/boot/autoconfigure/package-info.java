/**
 * Spring Boot auto-configuration for multiprocess: {@link io.multiprocess.spring.boot.autoconfigure.MultiprocessProperties}
 * ({@code multiprocess.*}), and {@link io.multiprocess.spring.boot.autoconfigure.MultiprocessAutoConfiguration},
 * which wires the context, the reducer, the {@code ProcessPool} and its lifecycle, and named queues.
 */
package io.multiprocess.spring.boot.autoconfigure;
