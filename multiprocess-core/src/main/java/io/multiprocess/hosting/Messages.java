package io.multiprocess.hosting;

import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reducing the items of queues and the messages of pipes: knows when a value is being sent as a message (where
 * connections may travel only if connection pickling is allowed), and gives every handle of a reducer name one
 * shared reducer in this process.
 */
public final class Messages {

    private static final ThreadLocal<Boolean> DUMPING = new ThreadLocal<>();
    private static final Map<String, Reducer> REDUCERS = new ConcurrentHashMap<>();

    private Messages() {
    }

    /** Reduces {@code value} as a message. */
    public static byte[] dump(Reducer reducer, Object value) {
        Boolean outer = DUMPING.get();
        DUMPING.set(Boolean.TRUE);
        try {
            return reducer.dumps(value);
        } finally {
            DUMPING.set(outer);
        }
    }

    /** Whether the current thread is reducing a message (rather than, say, a process's arguments). */
    public static boolean dumpingMessage() {
        return DUMPING.get() != null;
    }

    /** One reducer per name in this process, for handles that arrive naming theirs. */
    public static Reducer reducer(String name) {
        return REDUCERS.computeIfAbsent(name, Reducers::byName);
    }
}
