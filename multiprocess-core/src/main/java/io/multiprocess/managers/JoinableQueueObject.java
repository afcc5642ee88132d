package io.multiprocess.managers;

import io.multiprocess.errors.MultiprocessException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The object a joinable queue proxy refers to, in the server. An item is counted before it is inserted (and
 * uncounted if it was not), so a consumer can never mark it done before it was counted.
 */
final class JoinableQueueObject<E> extends LinkedBlockingQueue<E> implements JoinableQueueProxy<E> {

    private static final long serialVersionUID = 1L;

    private final transient Object tasks = new Object();
    private long unfinished;

    JoinableQueueObject(int capacity) {
        super(capacity > 0 ? capacity : Integer.MAX_VALUE);
    }

    @Override
    public void put(E item) throws InterruptedException {
        counted();
        boolean inserted = false;
        try {
            super.put(item);
            inserted = true;
        } finally {
            if (!inserted) {
                uncounted();
            }
        }
    }

    @Override
    public boolean offer(E item) {
        counted();
        boolean inserted = false;
        try {
            inserted = super.offer(item);
            return inserted;
        } finally {
            if (!inserted) {
                uncounted();
            }
        }
    }

    @Override
    public boolean offer(E item, long timeout, TimeUnit unit) throws InterruptedException {
        counted();
        boolean inserted = false;
        try {
            inserted = super.offer(item, timeout, unit);
            return inserted;
        } finally {
            if (!inserted) {
                uncounted();
            }
        }
    }

    private void counted() {
        synchronized (tasks) {
            unfinished++;
        }
    }

    private void uncounted() {
        synchronized (tasks) {
            if (--unfinished == 0) {
                tasks.notifyAll();
            }
        }
    }

    @Override
    public void taskDone() {
        synchronized (tasks) {
            if (unfinished <= 0) {
                throw new IllegalStateException("taskDone() called more times than items were put");
            }
            if (--unfinished == 0) {
                tasks.notifyAll();
            }
        }
    }

    @Override
    public void join() {
        synchronized (tasks) {
            while (unfinished > 0) {
                waitForTasks(0);
            }
        }
    }

    @Override
    public boolean join(Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        synchronized (tasks) {
            while (unfinished > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                waitForTasks(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        }
    }

    private void waitForTasks(long millis) {
        try {
            tasks.wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MultiprocessException("the manager was shut down while a joinable queue was joined");
        }
    }
}
