/**
 * The start methods, one context class each: {@link io.multiprocess.context.SpawnContext} and
 * {@link io.multiprocess.context.ForkServerContext}. {@code fork} cannot exist on a JVM; see
 * {@link io.multiprocess.Multiprocess#getContext(String)}.
 */
package io.multiprocess.context;
