package io.multiprocess.reduction;

import java.io.ObjectInputFilter;

/**
 * Bounds what JDK deserialization of one message may cost: every array (including the ones that {@code ArrayList},
 * {@code HashMap} and the other JDK collections allocate by a size they read) must fit in the bytes left, the
 * lengths of all arrays together in the message, the nesting depth is capped, and so are the objects referenced.
 * Classes are not restricted (bytes come from authenticated peers only); a JVM-wide filter
 * ({@code jdk.serialFilter}), if any, still decides first.
 */
final class BoundedObjectInputFilter implements ObjectInputFilter {

    /** Deeper than this, a value is refused rather than left to overflow the reading thread's stack. */
    static final int MAX_DEPTH = 10_000;
    /**
     * What the stream may have read ahead of the object being checked: a block of primitive data is at most 1024
     * bytes.
     */
    private static final int READ_AHEAD = 1024;

    /** Where the bytes left and the elements left are kept. */
    interface Budget {
        /** Bytes of the message the stream has not consumed. */
        long bytesLeft(FilterInfo info);

        /** Takes {@code count} elements, or throws naming {@code subject} when they cannot be there. */
        void claim(long count, String subject);
    }

    private final Budget budget;
    private final long length;
    private final ObjectInputFilter jvmWide = Config.getSerialFilter();

    BoundedObjectInputFilter(long length, Budget budget) {
        this.length = length;
        this.budget = budget;
    }

    /** A budget of its own for a message of {@code length} bytes read by one stream. */
    static BoundedObjectInputFilter forMessage(long length) {
        return new BoundedObjectInputFilter(length, new Budget() {
            private long left = length;

            @Override
            public long bytesLeft(FilterInfo info) {
                return length - info.streamBytes();
            }

            @Override
            public void claim(long count, String subject) {
                if (count > left) {
                    throw new IllegalStateException("corrupt message: " + subject + " would make the sizes in the"
                            + " message add up to more elements than its " + length + " bytes can hold");
                }
                left -= count;
            }
        });
    }

    @Override
    public Status checkInput(FilterInfo info) {
        Status decided = jvmWide == null ? Status.UNDECIDED : jvmWide.checkInput(info);
        if (decided == Status.REJECTED) {
            return decided;
        }
        if (info.depth() > MAX_DEPTH) {
            throw new IllegalStateException("corrupt message, or a value nested more than " + MAX_DEPTH
                    + " levels deep");
        }
        if (info.references() > length) {
            throw new IllegalStateException("corrupt message: " + info.references() + " objects referenced in "
                    + length + " bytes");
        }
        long arrayLength = info.arrayLength();
        if (arrayLength >= 0) {
            String subject = "an array of " + arrayLength + " elements";
            long left = budget.bytesLeft(info) + READ_AHEAD;
            if (arrayLength > left) {
                throw new IllegalStateException("corrupt or truncated message: " + subject + " cannot fit in the "
                        + Math.max(0, left - READ_AHEAD) + " bytes left");
            }
            budget.claim(arrayLength, subject);
        }
        return decided;
    }
}
