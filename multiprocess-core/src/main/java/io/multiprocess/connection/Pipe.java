package io.multiprocess.connection;

import io.multiprocess.internal.hosting.PipeEndRef;
import io.multiprocess.reduction.Reducer;

/**
 * The two ends of a pipe: Python's {@code multiprocessing.Pipe()}. What one end sends, the other receives, in
 * order. A duplex pipe (the default) carries messages both ways; a one-way pipe ({@code ctx.pipe(false)}) has a
 * {@link #first()} end that only receives and a {@link #second()} end that only sends.
 *
 * <pre>{@code
 * Pipe pipe = ctx.pipe();
 * Connection parentEnd = pipe.first();
 * Connection childEnd = pipe.second();
 * MpProcess child = ctx.process(() -> {
 *     int n = childEnd.recv();
 *     childEnd.send(n * n);
 * });
 * child.start();
 * parentEnd.send(12);
 * int square = parentEnd.recv();   // 144
 * child.join();
 * }</pre>
 *
 * <p>An end is a {@link Connection} that may be given to other processes (as a process argument, captured by a
 * lambda, in a pool task; inside a queue item or a message only after
 * {@code Multiprocess.allowConnectionPickling()}). As with Python's file descriptors, every process that received
 * an end holds it until it closes it or exits, and the other end sees the end of the stream once nobody holds it:
 * close the ends a process does not use, e.g. the child's end in the parent after {@code start()}.
 *
 * @param first  the first end (receive-only for a one-way pipe)
 * @param second the second end (send-only for a one-way pipe)
 */
public record Pipe(Connection first, Connection second) implements AutoCloseable {

    /** A new pipe hosted by this process, sending objects with {@code reducer}. Used by {@code ctx.pipe()}. */
    public static Pipe open(boolean duplex, Reducer reducer) {
        PipeEndRef[] ends = PipeEndRef.newPipe(duplex);
        return new Pipe(new PipeConnection(ends[0], reducer), new PipeConnection(ends[1], reducer));
    }

    /** Closes both ends in this process. */
    @Override
    public void close() {
        first.close();
        second.close();
    }
}
