package io.multiprocess.reduction;

import com.esotericsoftware.kryo.Kryo;

/**
 * Registers classes or serializers with every {@link Kryo} the {@link KryoReducer} uses, in this JVM and in every
 * child JVM. Found with {@link java.util.ServiceLoader}, so it reaches children, which have no application context
 * to get it from: list the implementation in {@code META-INF/services/io.multiprocess.reduction.KryoCustomizer} on
 * the classpath children share. It runs after the reducer's own settings, once per Kryo instance (the reducer pools
 * a few), so it must be cheap and give every instance the same registrations.
 *
 * <pre>{@code
 * public final class MoneyKryo implements KryoCustomizer {
 *     public MoneyKryo() { }                                   // ServiceLoader needs a public no-arg constructor
 *     public void customize(Kryo kryo) {
 *         kryo.addDefaultSerializer(Money.class, new MoneySerializer());
 *     }
 * }
 * // src/main/resources/META-INF/services/io.multiprocess.reduction.KryoCustomizer:  com.acme.MoneyKryo
 * }</pre>
 *
 * <p>A customizer that throws makes every reduction fail with a {@link ReductionException} naming it; one that
 * cannot be loaded (a missing class, no public no-argument constructor) is logged as a warning and skipped.
 */
@FunctionalInterface
public interface KryoCustomizer {

    void customize(Kryo kryo);
}
