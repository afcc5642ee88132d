package io.multiprocess.internal.pool;

import io.multiprocess.function.SerializableFunction;
import java.io.Serializable;
import java.util.List;

/**
 * What travels to a worker for one chunk: the function and its arguments. One TASK message, one reduction, one
 * RESULT message per chunk, however many items it holds.
 */
public record TaskBatch(SerializableFunction<Object, Object> function, List<Object> items) implements Serializable {
}
