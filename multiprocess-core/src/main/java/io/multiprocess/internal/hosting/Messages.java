package io.multiprocess.internal.hosting;

import io.multiprocess.internal.context.MessageScope;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reducing the items of queues and the messages of pipes, in the {@link MessageScope} of a message, and one shared
 * reducer per reducer name for the handles of this process.
 */
public final class Messages {

    private static final Map<String, Reducer> REDUCERS = new ConcurrentHashMap<>();

    private Messages() {
    }

    /** Reduces {@code value} as a message. */
    public static byte[] dump(Reducer reducer, Object value) {
        return MessageScope.dump(MessageScope.Kind.MESSAGE, reducer, value);
    }

    /** One reducer per name in this process, for handles that arrive naming theirs. */
    public static Reducer reducer(String name) {
        return REDUCERS.computeIfAbsent(name, Reducers::byName);
    }
}
