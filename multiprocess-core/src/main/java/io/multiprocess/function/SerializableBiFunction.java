package io.multiprocess.function;

import java.io.Serializable;

/**
 * A two-argument function that can be sent to a child process, e.g. for {@code starmap}:
 * {@code pool.starmap((a, b) -> a + b, pairs)}. It may throw checked exceptions.
 *
 * @param <T> the first argument type
 * @param <U> the second argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableBiFunction<T, U, R> extends Serializable {

    R apply(T first, U second) throws Exception;
}
