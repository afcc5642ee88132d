package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.BaseContext;

/**
 * Changes each context the starter creates (the application's, and the own context of a named pool that sets its
 * start method, executable, reducer or startup archive) after its properties are applied and before any process
 * starts from it. Applied in {@link org.springframework.core.Ordered} order.
 *
 * <pre>{@code
 * @Bean
 * MultiprocessContextCustomizer addAgent() {
 *     return context -> {
 *         List<String> arguments = new ArrayList<>(context.getJvmArguments());
 *         arguments.add("-javaagent:/opt/agent.jar");
 *         context.setJvmArguments(arguments);
 *     };
 * }
 * }</pre>
 *
 * <p>Child JVMs have no application context: what they need (Kryo registrations, for one) must reach them another
 * way; see {@link io.multiprocess.reduction.KryoCustomizer}.
 */
@FunctionalInterface
public interface MultiprocessContextCustomizer {

    void customize(BaseContext context);
}
