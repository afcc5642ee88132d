package io.multiprocess.internal.context;

import io.multiprocess.reduction.Reducer;

/**
 * What the current thread is reducing, when it matters to a value that reduces itself: a message (a queue's item, a
 * pipe's message), where a connection may travel only if connection pickling is allowed; or a manager's call or
 * reply, where a proxy's token never carries a key. Anything else (a process's arguments) is neither. The one place
 * that knows; scopes nest, and each kind stays set until its own scope ends.
 */
public final class MessageScope {

    /** A kind of message being reduced. */
    public enum Kind {
        /** An item of a queue or a message of a pipe. */
        MESSAGE,
        /** A request to a manager's server or its reply. */
        MANAGER_CALL
    }

    private static final ThreadLocal<int[]> ACTIVE = ThreadLocal.withInitial(() -> new int[Kind.values().length]);

    private MessageScope() {
    }

    /** Reduces {@code value} as a message of {@code kind}. */
    public static byte[] dump(Kind kind, Reducer reducer, Object value) {
        int[] active = ACTIVE.get();
        active[kind.ordinal()]++;
        try {
            return reducer.dumps(value);
        } finally {
            active[kind.ordinal()]--;
        }
    }

    /** Runs {@code body} as the sending of a message of {@code kind}. */
    public static void run(Kind kind, Runnable body) {
        int[] active = ACTIVE.get();
        active[kind.ordinal()]++;
        try {
            body.run();
        } finally {
            active[kind.ordinal()]--;
        }
    }

    /** Whether the current thread is reducing a message of {@code kind}, at any depth. */
    public static boolean within(Kind kind) {
        return ACTIVE.get()[kind.ordinal()] > 0;
    }
}
