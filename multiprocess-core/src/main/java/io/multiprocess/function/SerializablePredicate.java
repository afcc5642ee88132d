package io.multiprocess.function;

import java.io.Serializable;

/**
 * A condition that can be sent to a child process. It may throw checked exceptions.
 *
 * @param <T> the argument type
 */
@FunctionalInterface
public interface SerializablePredicate<T> extends Serializable {

    boolean test(T argument) throws Exception;
}
