package io.multiprocess.internal.pool;

import io.multiprocess.function.SerializableFunction;
import java.io.Serializable;
import java.util.List;

/**
 * What travels to a worker for one chunk: the function and its arguments, packed (see {@link PackedItems}). One
 * TASK message, one reduction, one RESULT message per chunk, however many items it holds.
 */
public record TaskBatch(SerializableFunction<Object, Object> function, PackedItems packed) implements Serializable {

    public TaskBatch(SerializableFunction<Object, Object> function, List<?> items) {
        this(function, PackedItems.pack(items));
    }

    /** The arguments, one per item. */
    public List<Object> items() {
        return packed.unpack();
    }
}
