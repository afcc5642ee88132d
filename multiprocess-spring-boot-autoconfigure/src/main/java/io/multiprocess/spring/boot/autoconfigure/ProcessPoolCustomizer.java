package io.multiprocess.spring.boot.autoconfigure;

/**
 * Changes a pool the starter creates from properties (the primary {@code multiprocess.pool} and every
 * {@code multiprocess.pools.<name>}) before its workers start: its options (an initializer, a default timeout,
 * anything {@link io.multiprocess.pool.PoolOptions} has) and its listeners. Every customizer bean is applied to
 * every such pool, in {@link org.springframework.core.Ordered} order; {@link ProcessPoolSettings#name()} tells the
 * pools apart. Pools the application defines itself are left alone.
 *
 * <pre>{@code
 * @Bean
 * ProcessPoolCustomizer loadTheModelOnce() {
 *     return pool -> {
 *         if (pool.name().equals("inference")) {
 *             pool.options(options -> options.initializer(Model::load));
 *         }
 *     };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ProcessPoolCustomizer {

    void customize(ProcessPoolSettings pool);
}
