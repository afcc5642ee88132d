package io.multiprocess.internal.pool;

import io.multiprocess.function.SerializableFunction;
import io.multiprocess.internal.LibraryThreads;
import io.multiprocess.internal.LibraryTimer;
import io.multiprocess.internal.MpLogger;
import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.PoolState;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.TimeSpent;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.WorkerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Runs a pool's tasks on threads of this JVM, for {@link io.multiprocess.ThreadPool}: nothing is serialized and
 * nothing is isolated. A thread cannot be killed, so a timeout or a cancellation interrupts the thread and fails
 * the task at once; code that ignores interrupts keeps its thread busy until it returns.
 */
public final class ThreadRunner implements TaskRunner {

    private static final Logger LOG = MpLogger.INSTANCE;
    private static final AtomicInteger POOL_COUNTER = new AtomicInteger();

    private final PoolOptions options;
    private final ThreadPoolExecutor executor;
    private final PoolListeners listeners = new PoolListeners();
    private final Set<ThreadTask> pending = ConcurrentHashMap.newKeySet();
    private final Map<Thread, AtomicLong> threads = new ConcurrentHashMap<>();
    private final AtomicLong taskIds = new AtomicLong();
    private final CompletableFuture<Void> allThreadsGone = new CompletableFuture<>();
    private volatile PoolState state = PoolState.RUNNING;
    private volatile String brokenReason;

    /**
     * @throws IllegalArgumentException for options that only make sense for worker processes
     */
    public ThreadRunner(PoolOptions options) {
        if (options.maxTasksPerChild() > 0 || options.maxWorkerHeapBytes() > 0 || options.maxWorkerRssBytes() > 0) {
            throw new IllegalArgumentException("maxTasksPerChild and the memory limits recycle worker processes; "
                    + "a ThreadPool has none. Use a ProcessPool, or leave them at 0");
        }
        this.options = options;
        int poolNumber = POOL_COUNTER.incrementAndGet();
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(options.processes(), options.processes(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    return LibraryThreads.daemon("ThreadPool-" + poolNumber + "-worker-"
                            + threadNumber.incrementAndGet(), () -> runWorker(runnable));
                });
    }

    /** Queues {@code function} over {@code items} as one task. */
    public Task submit(SerializableFunction<Object, Object> function, List<Object> items, Duration timeout,
            Completion completion) {
        if (state != PoolState.RUNNING) {
            throw TaskRunner.notRunning(state.name(), brokenReason);
        }
        ThreadTask task = new ThreadTask(taskIds.incrementAndGet(), function, items, timeout, completion);
        pending.add(task);
        listeners.fire(listener -> listener.taskSubmitted(task.id, items.size()));
        executor.execute(task);
        return task;
    }

    @Override
    public boolean cancel(Task handle, boolean stopRunning) {
        ThreadTask task = (ThreadTask) handle;
        Thread runner = task.runner;
        if (runner != null && !stopRunning) {
            return false;
        }
        if (!task.finish(null, new CancellationException(runner == null ? "the task was cancelled before it "
                + "started" : "the task was cancelled while running; its thread was interrupted"),
                TaskOutcome.CANCELLED)) {
            return false;
        }
        executor.remove(task);
        if (runner != null) {
            runner.interrupt();
        }
        return true;
    }

    @Override
    public void close() {
        if (state == PoolState.RUNNING) {
            state = PoolState.CLOSED;
        }
        executor.shutdown();
        awaitThreadsGone();
    }

    @Override
    public void terminate() {
        state = PoolState.TERMINATED;
        // Every task is marked ended before any thread is interrupted: a thread freed by an interrupt must not
        // pick up a queued task that was not marked yet.
        for (ThreadTask task : new ArrayList<>(pending)) {
            task.finish(null, new CancellationException("the pool was terminated"), TaskOutcome.CANCELLED);
        }
        executor.shutdownNow();
        awaitThreadsGone();
    }

    @Override
    public boolean isRunning() {
        return state == PoolState.RUNNING;
    }

    @Override
    public CompletableFuture<Void> whenAllWorkersGone() {
        return allThreadsGone.copy();
    }

    @Override
    public PoolSnapshot snapshot() {
        List<PoolSnapshot.Worker> workers = new ArrayList<>();
        int running = 0;
        int slot = 0;
        for (Map.Entry<Thread, AtomicLong> entry : threads.entrySet()) {
            boolean busy = pending.stream().anyMatch(task -> task.runner == entry.getKey());
            running += busy ? 1 : 0;
            workers.add(new PoolSnapshot.Worker(entry.getKey().getId(), slot++, busy ? WorkerState.BUSY : WorkerState.IDLE,
                    entry.getValue().get(), Duration.ZERO, -1, -1, null, TimeSpent.NONE));
        }
        return new PoolSnapshot(state, options.processes(), workers, executor.getQueue().size(), running, 0,
                Duration.ZERO);
    }

    @Override
    public void callProgressed(io.multiprocess.pool.CallProgress progress) {
        listeners.fire(listener -> listener.callProgressed(progress));
    }

    @Override
    public io.multiprocess.pool.PoolTotals totals() {
        return listeners.totals();
    }

    @Override
    public void addListener(PoolListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(PoolListener listener) {
        listeners.remove(listener);
    }

    private void runWorker(Runnable work) {
        Thread self = Thread.currentThread();
        if (options.initializer() != null) {
            try {
                options.initializer().run();
            } catch (Exception e) {
                breakPool("the initializer failed in " + self.getName() + ": " + e);
                return;
            }
        }
        threads.put(self, new AtomicLong());
        listeners.fire(listener -> listener.workerStarted(self.getId()));
        try {
            work.run();
        } finally {
            threads.remove(self);
            listeners.fire(listener -> listener.workerExited(self.getId(),
                    state == PoolState.RUNNING ? WorkerExitCause.CRASHED : WorkerExitCause.POOL_SHUTDOWN, 0));
        }
    }

    private void breakPool(String reason) {
        brokenReason = reason + "; fix the initializer and create a new pool";
        state = PoolState.BROKEN;
        LOG.error("thread pool broken: {}", reason);
        for (ThreadTask task : new ArrayList<>(pending)) {
            task.finish(null, new TaskFailedException("Pool not running: " + brokenReason), TaskOutcome.FAILURE);
        }
        executor.shutdownNow();
        awaitThreadsGone();
    }

    private void awaitThreadsGone() {
        LibraryThreads.start("multiprocess-threadpool-close", () -> {
            try {
                while (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                    LOG.debug("thread pool still has running tasks");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            allThreadsGone.complete(null);
        });
    }

    /** One task on a thread; ends exactly once, whichever of result, failure, timeout or cancel comes first. */
    private final class ThreadTask implements Task, Runnable {
        private final long id;
        private final SerializableFunction<Object, Object> function;
        private final List<Object> items;
        private final Duration timeout;
        private final Completion completion;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile Thread runner;
        private volatile long startedNanos;
        private volatile ScheduledFuture<?> timeoutCheck;

        ThreadTask(long id, SerializableFunction<Object, Object> function, List<Object> items, Duration timeout,
                Completion completion) {
            this.id = id;
            this.function = function;
            this.items = items;
            this.timeout = timeout;
            this.completion = completion;
        }

        @Override
        public void run() {
            // Terminated or broken: a thread that starts (or frees up) while terminate() is still marking the tasks
            // ended must not run one it has not reached yet.
            if (done.get() || state == PoolState.TERMINATED || state == PoolState.BROKEN) {
                return;
            }
            Thread self = Thread.currentThread();
            runner = self;
            startedNanos = System.nanoTime();
            listeners.fire(listener -> listener.taskStarted(id, items.size(), self.getId()));
            if (timeout != null) {
                timeoutCheck = LibraryTimer.schedule(() -> {
                    if (finish(null, new TaskTimeoutException("the task ran longer than its timeout of " + timeout
                            + "; its thread was interrupted"), TaskOutcome.TIMEOUT)) {
                        self.interrupt();
                    }
                }, timeout);
            }
            try {
                List<Object> results = new ArrayList<>(items.size());
                for (Object item : items) {
                    results.add(function.apply(item));
                }
                finish(results, null, TaskOutcome.SUCCESS);
            } catch (Exception | Error e) {
                finish(null, new TaskFailedException("task failed in " + self.getName() + ": " + e, e),
                        TaskOutcome.FAILURE);
            } finally {
                runner = null;
                AtomicLong count = threads.get(self);
                if (count != null) {
                    count.incrementAndGet();
                }
                // A timeout or cancel may have interrupted this thread; the next task must not see it.
                Thread.interrupted();
            }
        }

        boolean finish(List<Object> results, RuntimeException error, TaskOutcome outcome) {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            pending.remove(this);
            ScheduledFuture<?> check = timeoutCheck;
            if (check != null) {
                check.cancel(false);
            }
            Duration duration = startedNanos == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startedNanos);
            listeners.workerSpent(0, 0, duration.toNanos(), 0, 0);
            if (error != null) {
                Thread thread = runner;
                listeners.fire(listener -> listener.taskFailed(id, thread == null ? -1 : thread.getId(), outcome,
                        error));
            }
            listeners.fire(listener -> listener.taskFinished(id, items.size(), outcome, duration));
            if (error == null) {
                completion.succeeded(results);
            } else {
                completion.failed(error);
            }
            return true;
        }
    }
}
