package io.multiprocess.function;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task with a result that can be sent to a child process, e.g. {@code pool.apply(() -> expensive(n))}.
 *
 * @param <V> the result type
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {
}
