package io.multiprocess.function;

import java.io.Serializable;

/**
 * A one-argument action that can be sent to a child process, e.g. a pool initializer.
 * It may throw checked exceptions.
 *
 * @param <T> the argument type
 */
@FunctionalInterface
public interface SerializableConsumer<T> extends Serializable {

    void accept(T argument) throws Exception;
}
