package io.multiprocess.function;

import java.io.Serializable;

/**
 * A one-argument function that can be sent to a child process, e.g. {@code pool.map(x -> x * x, items)}.
 * It may throw checked exceptions.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Serializable {

    R apply(T argument) throws Exception;
}
