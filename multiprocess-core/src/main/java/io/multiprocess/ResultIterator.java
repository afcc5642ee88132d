package io.multiprocess;

import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.internal.pool.TaskGroup;
import io.multiprocess.internal.pool.TaskRunner;
import io.multiprocess.pool.CallProgress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The results of {@code imap} and {@code imapUnordered}, as they come (Python's {@code IMapIterator}).
 *
 * <p>The input is read lazily, on the consuming thread: at most a window of chunks (enough for every worker to run one and
 * hold a few ahead) is in the pool
 * at a time, and the next chunk is read only when a result is taken. Memory stays flat for huge or endless inputs,
 * and a slow consumer slows the producer down instead of piling results up.
 *
 * <pre>{@code
 * ResultIterator<String> it = pool.imap(line -> parse(line), lines::iterator);
 * while (it.hasNext()) {
 *     String parsed = it.next(Duration.ofSeconds(30));   // ResultTimeoutException if none within 30 s
 * }
 * }</pre>
 *
 * <p>A task that failed throws from {@code next()} at its position (ordered) or when its turn comes (unordered);
 * iteration may go on after it. An exception thrown by the input itself is thrown by {@code next()} once the
 * results of everything read before it have been taken. Not thread-safe: consume it from one thread.
 *
 * @param <R> the result type
 */
public final class ResultIterator<R> implements Iterator<R> {

    private final Iterator<?> source;
    private final int chunksize;
    private final int window;
    private final boolean ordered;
    private final BiFunction<List<Object>, TaskRunner.Completion, TaskRunner.Task> submitter;
    private final TaskGroup call;
    private final LongConsumer totalKnown;
    private long submittedItems;
    private final Object lock = new Object();
    private final Map<Long, Outcome> finishedInOrder = new HashMap<>();
    private final ArrayDeque<Outcome> finishedAsTheyCome = new ArrayDeque<>();
    private long submittedChunks;
    private long takenChunks;
    private boolean sourceExhausted;
    private RuntimeException sourceError;
    private Iterator<Object> currentChunk;

    /** @param totalKnown told the number of items once the input has been read to its end (or failed) */
    ResultIterator(Iterator<?> source, int chunksize, int window, boolean ordered, TaskGroup call,
            BiFunction<List<Object>, TaskRunner.Completion, TaskRunner.Task> submitter, LongConsumer totalKnown) {
        this.source = source;
        this.call = call;
        this.totalKnown = totalKnown;
        this.chunksize = chunksize;
        this.window = window;
        this.ordered = ordered;
        this.submitter = submitter;
        topUp();
    }

    @Override
    public boolean hasNext() {
        if (currentChunk != null && currentChunk.hasNext()) {
            return true;
        }
        topUp();
        return takenChunks < submittedChunks || sourceError != null;
    }

    /** The next result, waiting as long as it takes. */
    @Override
    public R next() {
        return next(null);
    }

    /**
     * The next result, waiting at most {@code timeout}.
     *
     * @throws ResultTimeoutException if none is ready in time; the work goes on and a later call may succeed
     * @throws NoSuchElementException when all results were taken
     */
    @SuppressWarnings("unchecked")
    public R next(Duration timeout) {
        if (currentChunk != null && currentChunk.hasNext()) {
            return (R) currentChunk.next();
        }
        topUp();
        if (takenChunks == submittedChunks) {
            if (sourceError != null) {
                RuntimeException error = sourceError;
                sourceError = null;
                sourceExhausted = true;
                throw error;
            }
            throw new NoSuchElementException("all results were taken");
        }
        Outcome outcome = await(timeout);
        takenChunks++;
        topUp();
        if (outcome.error != null) {
            throw outcome.error;
        }
        currentChunk = outcome.results.iterator();
        return (R) currentChunk.next();
    }

    private Outcome await(Duration timeout) {
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                Outcome outcome = ordered ? finishedInOrder.remove(takenChunks) : finishedAsTheyCome.pollFirst();
                if (outcome != null) {
                    return outcome;
                }
                try {
                    if (timeout == null) {
                        lock.wait();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new ResultTimeoutException("no result within " + timeout);
                        }
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MultiprocessException("interrupted while waiting for a result", e);
                }
            }
        }
    }

    /** Reads and submits chunks until the window is full or the input ends. */
    private void topUp() {
        while (!sourceExhausted && sourceError == null && submittedChunks - takenChunks < window) {
            List<Object> chunk = new java.util.ArrayList<>(chunksize);
            try {
                while (chunk.size() < chunksize && source.hasNext()) {
                    chunk.add(source.next());
                }
            } catch (RuntimeException e) {
                sourceError = e;
            }
            if (chunk.isEmpty()) {
                sourceExhausted = sourceError == null;
                totalKnown.accept(submittedItems);
                return;
            }
            submittedItems += chunk.size();
            long index = submittedChunks;
            submitter.apply(chunk, new TaskRunner.Completion() {
                @Override
                public void succeeded(List<Object> results) {
                    deliver(index, new Outcome(results, null));
                }

                @Override
                public void failed(RuntimeException error) {
                    deliver(index, new Outcome(null, error));
                }
            });
            submittedChunks++;
            if (sourceError != null) {
                // The call ends here: what was read before the input failed is all it has.
                totalKnown.accept(submittedItems);
            }
        }
    }

    /** How far the call has got; the total is known once the input has been read to its end. */
    public CallProgress progress() {
        return call.progress();
    }

    /**
     * Tells {@code watcher} the progress now, then each time a chunk ends, on a pool thread; see
     * {@link AsyncResult#onProgress}.
     *
     * @return this iterator
     */
    public ResultIterator<R> onProgress(Consumer<? super CallProgress> watcher) {
        call.watch(java.util.Objects.requireNonNull(watcher, "watcher"));
        return this;
    }

    private void deliver(long index, Outcome outcome) {
        synchronized (lock) {
            if (ordered) {
                finishedInOrder.put(index, outcome);
            } else {
                finishedAsTheyCome.addLast(outcome);
            }
            lock.notifyAll();
        }
    }

    private record Outcome(List<Object> results, RuntimeException error) {
    }
}
