package io.multiprocess.managers;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;

/**
 * A queue held by a manager that counts unfinished items (Python's {@code manager.JoinableQueue()}): every item
 * put is a task until a consumer calls {@link #taskDone()} for it, and {@link #join()} waits until none is left.
 *
 * <pre>{@code
 * JoinableQueueProxy<Path> files = manager.joinableQueue();
 * // consumers: while (true) { Path file = files.take(); compress(file); files.taskDone(); }
 * inputs.forEach(files::add);
 * files.join();                  // every file put has been marked done
 * }</pre>
 */
public interface JoinableQueueProxy<E> extends BlockingQueue<E> {

    /**
     * Marks one item taken from the queue as done.
     *
     * @throws IllegalStateException if called more times than items were put (Python's {@code ValueError})
     */
    void taskDone();

    /** Waits in the server until every item put has been marked done. */
    void join();

    /** Waits at most {@code timeout}; returns whether every item put has been marked done. */
    boolean join(Duration timeout);
}
