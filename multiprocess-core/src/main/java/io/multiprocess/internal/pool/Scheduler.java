package io.multiprocess.internal.pool;

import io.multiprocess.internal.ExitSequence;
import io.multiprocess.internal.LibraryThreads;
import io.multiprocess.internal.LibraryTimer;
import io.multiprocess.internal.MpLogger;
import io.multiprocess.internal.launch.ChildJvm;
import io.multiprocess.internal.launch.ChildOutputSource;
import io.multiprocess.internal.launch.ExitStatus;
import io.multiprocess.internal.transport.FrameTypes;
import io.multiprocess.pool.ExitPolicy;
import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.PoolState;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.TimeSpent;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.ThreadDump;
import io.multiprocess.pool.WorkerCrashedException;
import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.WorkerState;
import io.multiprocess.reduction.Reducer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * A process pool's work and workers: tasks (already reduced) wait in the {@link Dispatcher}'s queue; an idle worker
 * gets the next one as a TASK message; its RESULT frees the worker for the next. This class carries out what the
 * dispatcher and {@link Replacements} decide: it launches and replaces workers, sends their messages, reads their
 * results, kills a worker whose task outlives its timeout or is cancelled (after asking it for a thread dump),
 * recycles workers by task count and memory, closes and terminates, does what the pool's exit policy says at JVM
 * exit, and fires listener events.
 *
 * <p>A worker runs one task at a time, in the order its TASK messages arrive, so the first task it holds is the
 * one running and results come back in that order. A worker that dies fails exactly the task it was running; the
 * ones it held ahead never started, and go back to the front of the queue.
 *
 * <p>Once the pool is shutting down (closed, terminated, or the JVM exits) no worker is replaced except, for a pool
 * closed gracefully while the JVM goes on, to run the tasks still queued (as Python's pool keeps itself populated
 * until its cache is empty); a worker that dies then fails only its own task, never the pool.
 *
 * <p>Internal: {@link io.multiprocess.ProcessPool} is the public face.
 */
public final class Scheduler implements TaskRunner {

    private static final Logger LOG = MpLogger.INSTANCE;
    private static final long TERMINATE_GRACE_MILLIS = 1000;
    /** What terminating takes at most at exit: SIGTERM, the grace before SIGKILL, and the exit to be seen. */
    private static final Duration TERMINATE_AT_EXIT = Duration.ofSeconds(3);
    /** Tasks a worker may hold beyond the one it runs; see {@link Dispatcher#PREFETCH}. */
    public static final int PREFETCH = Dispatcher.PREFETCH;

    private final PoolOptions options;
    private final Supplier<ChildJvm> launcher;
    private final Reducer reducer;
    private final Object lock = new Object();
    private final Dispatcher dispatcher;
    private final Map<Long, PoolWorker> workers = new LinkedHashMap<>();
    private final AtomicLong taskIds = new AtomicLong();
    private final PoolListeners listeners = new PoolListeners();
    private final CompletableFuture<Void> allWorkersGone = new CompletableFuture<>();
    private PoolState state = PoolState.RUNNING;
    private final Replacements replacements = new Replacements();
    /** Workers decided on but not yet in {@link #workers}: launching, or waiting for a back-off to pass. */
    private int pendingLaunches;
    /** How many workers the pool keeps: the options' count until {@link #resize} changes it. */
    private int targetWorkers;
    private String brokenReason;
    private ExitSequence.Registration atExit;
    /** Whether {@link #start} ran: a pool created with {@code deferStart} launches nothing before. */
    private volatile boolean started;
    /** How log records name the pool. */
    private final String label;

    /**
     * @param launcher starts one worker process and returns its JVM
     * @param reducer the reducer results come back with
     */
    public Scheduler(PoolOptions options, Supplier<ChildJvm> launcher, Reducer reducer) {
        this.options = options;
        this.targetWorkers = options.processes();
        this.dispatcher = new Dispatcher(options.maxTasksPerChild());
        this.launcher = launcher;
        this.reducer = reducer;
        this.label = options.name() == null ? "process pool" : "process pool '" + options.name() + "'";
    }

    /**
     * Launches all workers at once; they start in parallel. Once only: later calls, and calls after the pool was
     * closed or terminated, do nothing.
     */
    public void start() {
        int launch;
        synchronized (lock) {
            if (started) {
                return;
            }
            started = true;
            if (state != PoolState.RUNNING) {
                return;
            }
            launch = targetWorkers;
            pendingLaunches += launch;
            ExitPolicy policy = options.exitPolicy();
            atExit = ExitSequence.register(ExitSequence.Phase.POOLS, "pool",
                    policy.gracePeriod().plus(TERMINATE_AT_EXIT), this::applyExitPolicy);
        }
        allWorkersGone.thenRun(atExit::cancel);
        for (int i = 0; i < launch; i++) {
            launchWorker();
        }
    }

    /** Whether {@link #start} ran. */
    public boolean isStarted() {
        return started;
    }

    @Override
    public void callProgressed(io.multiprocess.pool.CallProgress progress) {
        listeners.fire(listener -> listener.callProgressed(progress));
    }

    @Override
    public io.multiprocess.pool.PoolTotals totals() {
        return listeners.totals();
    }

    /** At JVM exit, before any other child is ended: what {@link PoolOptions#exitPolicy} says. */
    private void applyExitPolicy() {
        ExitPolicy policy = options.exitPolicy();
        switch (policy.mode()) {
            case DRAIN -> close();
            case LEAVE_TO_OWNER -> { }
            case TERMINATE -> terminate();
        }
        if (policy.mode() != ExitPolicy.Mode.TERMINATE && !awaitAllWorkersGone(policy.gracePeriod())) {
            LOG.warn("at exit, the {} still had work after its {} grace period ({}); terminating it",
                    label, policy.gracePeriod(), policy.mode() == ExitPolicy.Mode.DRAIN ? "draining"
                            : "left to its owner, which did not close it in time");
            terminate();
        }
        awaitAllWorkersGone(TERMINATE_AT_EXIT);
    }

    private boolean awaitAllWorkersGone(Duration timeout) {
        try {
            allWorkersGone.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    @Override
    public void addListener(PoolListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(PoolListener listener) {
        listeners.remove(listener);
    }

    /**
     * Queues a task of {@code size} items, already reduced.
     *
     * @param group the call the task belongs to
     * @param timeout how long it may run on a worker, or null for none
     * @throws IllegalStateException if the pool no longer takes work
     */
    public TaskRunner.Task submit(TaskGroup group, byte[] payload, int size, Duration timeout,
            Completion completion) {
        if (!started) {
            // A deferred pool used before its owner started it: starting now is better than a task that waits
            // for workers nobody launches.
            start();
        }
        PoolTask task = new PoolTask(taskIds.incrementAndGet(), group, payload, size, timeout, completion);
        synchronized (lock) {
            ensureRunning();
        }
        // Heard before the task is queued, so no listener hears it start before it was submitted.
        listeners.fire(listener -> listener.taskSubmitted(task.id, size));
        boolean queued;
        RuntimeException broke = null;
        synchronized (lock) {
            queued = state == PoolState.RUNNING;
            if (queued) {
                dispatcher.add(task);
            } else {
                task.done = true;
                if (state == PoolState.BROKEN) {
                    // It broke while the listeners heard of the task: the caller gets why, as a moment earlier.
                    broke = TaskRunner.notRunning(state.name(), brokenReason);
                }
            }
        }
        if (!queued) {
            finish(task, null, broke != null ? broke : new CancellationException("the pool stopped taking work "
                    + "before the task was queued"), TaskOutcome.CANCELLED);
            return task;
        }
        dispatch();
        return task;
    }

    /**
     * Cancels a task: a queued one is dropped; a running one, if {@code killRunning}, ends with its worker, which
     * is replaced.
     *
     * @return whether the task was cancelled
     */
    @Override
    public boolean cancel(TaskRunner.Task handle, boolean killRunning) {
        PoolTask task = (PoolTask) handle;
        PoolWorker running;
        boolean dumpFirst = false;
        synchronized (lock) {
            if (task.done) {
                return false;
            }
            if (dispatcher.remove(task)) {
                task.done = true;
                running = null;
            } else if (killRunning && task.worker != null) {
                // The worker runs it or holds it ahead; either way only killing the worker stops it. Whatever else
                // the worker holds belongs to the same call (see TaskGroup), so no other call's task dies with it.
                running = task.worker;
                task.killReason = WorkerExitCause.CANCELLED;
                running.plannedExit = WorkerExitCause.CANCELLED;
                dumpFirst = !options.threadDumpTimeout().isZero() && running.tasks.peekFirst() == task;
                if (dumpFirst) {
                    running.dumpTask = task;
                    running.killWhenDumped = true;
                }
            } else {
                return false;
            }
        }
        if (running != null && dumpFirst) {
            // Killed when its stacks arrive, or when they do not in time.
            PoolWorker worker = running;
            sendQuietly(worker, PoolFrames.threadDumpRequest());
            LibraryTimer.schedule(worker.child::kill, options.threadDumpTimeout());
        } else if (running != null) {
            running.child.kill();
        } else {
            finish(task, null, new CancellationException("the task was cancelled before it started"),
                    TaskOutcome.CANCELLED);
        }
        return true;
    }

    @Override
    public void close() {
        List<PoolTask> stranded;
        synchronized (lock) {
            if (state == PoolState.RUNNING) {
                state = PoolState.CLOSED;
            }
            stranded = takeStrandedTasks();
            // A pool never started has no worker whose exit would say so.
            checkAllWorkersGone();
        }
        failStranded(stranded, "the pool was shut down with no worker left to run it");
        dispatch();
    }

    /** Fails what is queued or running with a CancellationException, and stops all workers. */
    @Override
    public void terminate() {
        List<PoolTask> dropped;
        List<PoolWorker> toStop;
        synchronized (lock) {
            if (state == PoolState.TERMINATED) {
                return;
            }
            state = PoolState.TERMINATED;
            dropped = dispatcher.drain();
            toStop = new ArrayList<>(workers.values());
            for (PoolWorker worker : toStop) {
                worker.plannedExit = WorkerExitCause.POOL_SHUTDOWN;
                worker.tasks.forEach(task -> task.killReason = WorkerExitCause.POOL_SHUTDOWN);
            }
            checkAllWorkersGone();
        }
        for (PoolTask task : dropped) {
            finish(task, null, new CancellationException("the pool was terminated before the task started"),
                    TaskOutcome.CANCELLED);
        }
        for (PoolWorker worker : toStop) {
            endWorker(worker.child);
        }
    }

    /** SIGTERM, then SIGKILL after a grace; never throws, so terminate() always reaches every worker. */
    private static void endWorker(ChildJvm child) {
        try {
            child.terminate();
        } catch (RuntimeException e) {
            LOG.debug("could not terminate pool worker {}; killing it", child.pid(), e);
        }
        LibraryTimer.schedule(child::kill, TERMINATE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Void> whenAllWorkersGone() {
        return allWorkersGone.copy();
    }

    @Override
    public boolean isRunning() {
        synchronized (lock) {
            return state == PoolState.RUNNING;
        }
    }

    @Override
    public PoolSnapshot snapshot() {
        List<PoolSnapshot.Worker> snapshot = new ArrayList<>();
        List<ChildJvm> children = new ArrayList<>();
        PoolSnapshot pool;
        synchronized (lock) {
            long now = System.nanoTime();
            int running = 0;
            int heldAhead = 0;
            for (PoolWorker worker : workers.values()) {
                if (!worker.tasks.isEmpty()) {
                    running++;
                    heldAhead += worker.tasks.size() - 1;
                }
                // A starting worker's time so far is starting; a ready one's time since its last result is waiting
                // or working, told by the next result.
                long starting = worker.state == WorkerState.STARTING ? now - worker.launchedNanos
                        : worker.startingNanos;
                snapshot.add(new PoolSnapshot.Worker(worker.child.pid(), worker.slot, worker.state, worker.tasksDone,
                        Duration.ofNanos(now - worker.launchedNanos), worker.heapUsed, -1, null,
                        TimeSpent.ofNanos(starting, worker.waitingNanos, worker.workingNanos, worker.serializingNanos,
                                worker.deserializingNanos)));
                children.add(worker.child);
            }
            pool = new PoolSnapshot(state, targetWorkers, snapshot, dispatcher.size() + heldAhead, running,
                    replacements.consecutiveCrashes(), replacements.replacementDelay());
        }
        // Read from the operating system outside the lock (at most once a second per worker).
        for (int i = 0; i < snapshot.size(); i++) {
            PoolSnapshot.Worker worker = snapshot.get(i);
            ChildJvm.OsFigures figures = children.get(i).osFigures();
            snapshot.set(i, new PoolSnapshot.Worker(worker.pid(), worker.slot(), worker.state(), worker.tasksDone(),
                    worker.uptime(), worker.heapUsedBytes(), figures.residentBytes(), figures.cpuTime(),
                    worker.timeSpent()));
        }
        return pool;
    }

    /**
     * Makes the pool keep {@code processes} workers from now on. Growing launches the new workers at once. Shrinking
     * retires idle workers first, then busy ones once the tasks they hold are done; a retired worker is not replaced,
     * and no task is lost or cut short.
     *
     * @throws IllegalArgumentException if {@code processes} is less than 1
     * @throws IllegalStateException if the pool no longer takes work
     */
    public void resize(int processes) {
        if (processes < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 process, got " + processes);
        }
        int launch;
        List<PoolWorker> toFlush = new ArrayList<>();
        synchronized (lock) {
            ensureRunning();
            targetWorkers = processes;
            if (!started) {
                return;
            }
            int kept = keptWorkers();
            launch = Math.max(0, processes - kept);
            pendingLaunches += launch;
            for (WorkerState retireFirst : List.of(WorkerState.IDLE, WorkerState.STARTING, WorkerState.BUSY)) {
                for (PoolWorker worker : workers.values()) {
                    if (kept <= processes) {
                        break;
                    }
                    if (worker.state == retireFirst) {
                        // Queued behind the tasks it holds, so a busy worker finishes them first.
                        worker.state = WorkerState.STOPPING;
                        worker.plannedExit = WorkerExitCause.RETIRED;
                        worker.outbox.add(PoolFrames.stop());
                        toFlush.add(worker);
                        kept--;
                    }
                }
            }
        }
        LOG.info("{} resized to {} workers: {} launched, {} retired", label, processes, launch, toFlush.size());
        toFlush.forEach(Scheduler::flush);
        for (int i = 0; i < launch; i++) {
            launchWorker();
        }
        dispatch();
    }

    /**
     * Replaces the worker {@code pid} with a fresh JVM once it has finished the tasks it holds, as
     * {@code maxTasksPerChild} would; its exit cause is {@link WorkerExitCause#RECYCLED}.
     *
     * @return false if the pool has no such worker, or it is already on its way out
     * @throws IllegalStateException if the pool no longer takes work
     */
    public boolean recycle(long pid) {
        PoolWorker worker;
        synchronized (lock) {
            ensureRunning();
            worker = workers.get(pid);
            if (worker == null || worker.state == WorkerState.STOPPING || worker.plannedExit != null) {
                // Absent, on its way out, or about to be killed for a timeout or a cancel, whose cause stands.
                return false;
            }
            worker.state = WorkerState.STOPPING;
            worker.plannedExit = WorkerExitCause.RECYCLED;
            worker.outbox.add(PoolFrames.stop());
        }
        LOG.info("{}: worker {} is recycled on request; a fresh one replaces it once its tasks are done", label, pid);
        flush(worker);
        dispatch();
        return true;
    }

    /**
     * Whether the JVM is exiting and nobody else will see this pool through it. A pool left to its owner (Spring's
     * lifecycle, which drains requests first) goes on replacing the workers it recycles or loses until the owner
     * closes it or its budget runs out, so work in flight at SIGTERM is not stranded by a worker's routine exit.
     */
    private boolean exitingWithoutOwner() {
        return ExitSequence.isExiting() && options.exitPolicy().mode() != ExitPolicy.Mode.LEAVE_TO_OWNER;
    }

    /** Under the lock: the workers the pool keeps, those launching included, not those on their way out. */
    private int keptWorkers() {
        int kept = pendingLaunches;
        for (PoolWorker worker : workers.values()) {
            if (worker.state != WorkerState.STOPPING) {
                kept++;
            }
        }
        return kept;
    }

    private void ensureRunning() {
        if (state != PoolState.RUNNING) {
            throw TaskRunner.notRunning(state.name(), brokenReason);
        }
    }

    /** Launches a worker the caller counted in {@link #pendingLaunches}. */
    private void launchWorker() {
        ChildJvm child;
        try {
            child = launcher.get();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("{}: cannot launch a worker: {}", label, e.getMessage());
            boolean countIt;
            synchronized (lock) {
                pendingLaunches--;
                countIt = state == PoolState.RUNNING;
                if (countIt) {
                    replacements.startFailed();
                }
            }
            if (countIt && !breakIfWorkersKeepDying("launching a worker failed: " + e.getMessage())) {
                // Launching may work again (a passing lack of memory or processes): try again after a pause.
                synchronized (lock) {
                    pendingLaunches++;
                }
                LibraryTimer.schedule(() -> LibraryThreads.start("multiprocess-pool-replace", this::launchDelayed),
                        replacements.launchRetryDelay());
            }
            failStrandedTasks();
            return;
        }
        PoolWorker worker = new PoolWorker(child);
        boolean keep;
        synchronized (lock) {
            pendingLaunches--;
            // Terminated (or broken) while it launched: it would be nobody's worker.
            keep = state == PoolState.RUNNING || state == PoolState.CLOSED;
            if (keep) {
                worker.slot = lowestFreeSlot();
                workers.put(child.pid(), worker);
            } else {
                checkAllWorkersGone();
            }
        }
        if (!keep) {
            child.kill();
            return;
        }
        child.describeOutput(ChildOutputSource.poolWorker(child.pid(),
                options.name() == null ? "pool" : options.name(), () -> {
                    PoolTask running = worker.running;
                    return running == null ? Map.of() : running.outputMdc();
                }));
        child.onMessage(message -> onMessage(worker, message));
        child.onExit().thenAccept(code -> onExit(worker, code));
        listeners.fire(listener -> listener.workerStarted(child.pid()));
    }

    /** Under the lock: the place a new worker takes, the one its predecessor left if it replaces one. */
    private int lowestFreeSlot() {
        java.util.BitSet taken = new java.util.BitSet();
        workers.values().forEach(worker -> taken.set(worker.slot));
        return taken.nextClearBit(0);
    }

    /** The worker's initializer ran: it takes tasks from now on, and starting workers evidently works. */
    private void onWorkerReady(PoolWorker worker) {
        synchronized (lock) {
            if (worker.state == WorkerState.STARTING && worker.child.isAlive()) {
                worker.state = WorkerState.IDLE;
                worker.startingNanos = System.nanoTime() - worker.launchedNanos;
                listeners.workerSpent(worker.startingNanos, 0, 0, 0, 0);
                replacements.workerReady();
            }
        }
        dispatch();
    }

    /**
     * Gives queued tasks to workers (see {@link Dispatcher}), then sends them their messages and starts their
     * tasks' clocks outside the lock.
     */
    private void dispatch() {
        Dispatcher.Round round;
        synchronized (lock) {
            round = dispatcher.dispatch(workers.values(), state == PoolState.RUNNING);
        }
        round.started().forEach(this::taskStarted);
        round.toFlush().forEach(Scheduler::flush);
    }

    /** Outside the lock: the task is now the one its worker runs. */
    private void taskStarted(PoolTask task) {
        PoolWorker worker = task.worker;
        worker.running = task;
        listeners.fire(listener -> listener.taskStarted(task.id, task.size, worker.child.pid()));
        if (task.trace != null) {
            try {
                task.trace.started(worker.child.pid());
            } catch (RuntimeException e) {
                LOG.warn("{}: the task tracer failed: {}", label, e.toString());
            }
        }
        if (task.timeout != null) {
            Duration dumpLead = options.threadDumpTimeout();
            if (!dumpLead.isZero()) {
                // Asked ahead, so the kill itself is on time even for a worker that cannot answer (stopped, or
                // stuck at a safepoint).
                task.dumpRequest = LibraryTimer.schedule(() -> requestThreadDump(worker, task),
                        task.timeout.minus(dumpLead));
            }
            task.timeoutCheck = LibraryTimer.schedule(() -> onTimeout(worker, task), task.timeout);
        }
    }

    private void requestThreadDump(PoolWorker worker, PoolTask task) {
        synchronized (lock) {
            if (task.done || worker.tasks.peekFirst() != task) {
                return;
            }
            worker.dumpTask = task;
            worker.dump = null;
        }
        sendQuietly(worker, PoolFrames.threadDumpRequest());
    }

    /** A worker's THREADS answer: kept for the kill that follows (or done now, for a cancel that waited for it). */
    private void onThreads(PoolWorker worker, byte[] message) {
        ThreadDump dump;
        try {
            dump = ThreadDumps.decode(worker.child.pid(), Duration.ZERO, message, 1);
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("pool worker {} sent a thread dump that could not be read: {}", worker.child.pid(),
                    e.toString());
            return;
        }
        PoolTask task;
        boolean killNow;
        synchronized (lock) {
            task = worker.dumpTask;
            if (task == null || task.done) {
                return;
            }
            worker.dump = dump;
            worker.dumpReceivedNanos = System.nanoTime();
            killNow = worker.killWhenDumped;
            if (killNow) {
                task.threadDump = worker.takeDump(task);
            }
        }
        if (killNow) {
            ThreadDump taken = task.threadDump;
            listeners.fire(listener -> listener.threadDumpTaken(task.id, worker.child.pid(),
                    WorkerExitCause.CANCELLED, taken));
            worker.child.kill();
        }
    }

    /**
     * Sends the worker's queued messages in the order they were queued, whichever thread queued them: the worker
     * runs tasks in the order their messages arrive, and results are matched to tasks by that order.
     */
    private static void flush(PoolWorker worker) {
        synchronized (worker.sendLock) {
            while (true) {
                byte[] message = worker.outbox.poll();
                if (message == null) {
                    return;
                }
                sendQuietly(worker, message);
            }
        }
    }

    private void onTimeout(PoolWorker worker, PoolTask task) {
        ThreadDump dump;
        synchronized (lock) {
            if (task.done || worker.tasks.peekFirst() != task) {
                return;
            }
            task.killReason = WorkerExitCause.TIMEOUT;
            worker.plannedExit = WorkerExitCause.TIMEOUT;
            dump = worker.takeDump(task);
            task.threadDump = dump;
        }
        if (dump != null) {
            listeners.fire(listener -> listener.threadDumpTaken(task.id, worker.child.pid(), WorkerExitCause.TIMEOUT,
                    dump));
        }
        worker.child.kill();
    }

    private void onMessage(PoolWorker worker, byte[] message) {
        switch (message[0]) {
            case FrameTypes.Pool.RESULT -> onResult(worker, message);
            case FrameTypes.Pool.WORKER_READY -> onWorkerReady(worker);
            case FrameTypes.Pool.THREADS -> onThreads(worker, message);
            default -> LOG.debug("pool worker {} sent a message of type {}; ignored", worker.child.pid(), message[0]);
        }
    }

    private void onResult(PoolWorker worker, byte[] message) {
        PoolFrames.Result result;
        try {
            result = PoolFrames.Result.read(message);
        } catch (IOException e) {
            // Handled as any fault of a control message: the worker is killed, its exit fails its task.
            throw new java.io.UncheckedIOException(e);
        }
        long id = result.batchId();
        long heapUsed = result.heapUsed();
        long rss = options.maxWorkerRssBytes() > 0 ? worker.child.residentBytes() : -1;
        PoolTask task;
        PoolTask next;
        boolean retire;
        synchronized (lock) {
            task = worker.tasks.peekFirst();
            if (task == null || task.id != id || task.done) {
                LOG.debug("pool worker {} answered task {}, which has already ended; ignored", worker.child.pid(), id);
                return;
            }
            worker.tasks.pollFirst();
            long now = System.nanoTime();
            task.group.ran(now - task.startedNanos);
            PoolFrames.WorkerTimes times = result.times();
            task.group.spent(task.startedNanos - task.submittedNanos, times);
            worker.waitingNanos += times.waiting();
            worker.deserializingNanos += times.deserializing();
            worker.workingNanos += times.working();
            worker.serializingNanos += times.serializing();
            listeners.workerSpent(0, times.waiting(), times.working(), times.serializing(), times.deserializing());
            task.done = true;
            worker.tasksDone++;
            worker.heapUsed = heapUsed;
            int crashesBefore = replacements.taskFinished();
            if (crashesBefore >= Replacements.CRASHES_BEFORE_BACKOFF) {
                LOG.info("{}: a task finished again after {} workers in a row died; workers are replaced "
                        + "at once again", label, crashesBefore);
            }
            boolean exiting = result.status() == FrameTypes.Pool.FAILED_WORKER_EXITS;
            retire = !exiting && worker.state != WorkerState.STOPPING
                    && ((options.maxTasksPerChild() > 0 && worker.tasksDone >= options.maxTasksPerChild())
                    || (options.maxWorkerHeapBytes() > 0 && heapUsed > options.maxWorkerHeapBytes())
                    || (options.maxWorkerRssBytes() > 0 && rss > options.maxWorkerRssBytes()));
            next = worker.tasks.peekFirst();
            if (next != null && !exiting) {
                next.startedNanos = now;
            }
            if (exiting) {
                // The worker exits after this result; the tasks it held ahead go back to the queue when it does.
                worker.state = WorkerState.STOPPING;
                next = null;
            } else if (retire) {
                // Queued behind the tasks it still holds, so the worker runs those first.
                worker.state = WorkerState.STOPPING;
                worker.plannedExit = WorkerExitCause.RECYCLED;
                worker.outbox.add(PoolFrames.stop());
            } else if (worker.state != WorkerState.STOPPING) {
                worker.state = next == null ? WorkerState.IDLE : WorkerState.BUSY;
            }
        }
        task.cancelTimers();
        if (next == null) {
            worker.running = null;
        }
        if (retire) {
            flush(worker);
        }
        dispatch();
        complete(task, result.status(), message);
        if (next != null) {
            // Heard after the previous task's end, as it happened: the worker takes the next one when done.
            taskStarted(next);
        }
    }

    /**
     * Turns a RESULT message into the task's outcome; runs on the worker's reader thread, outside the lock. Whatever
     * goes wrong here ends the task: it is no longer the worker's, so nothing else would.
     */
    private void complete(PoolTask task, byte status, byte[] message) {
        int offset = PoolFrames.RESULT_HEADER;
        int length = message.length - offset;
        long pid = task.worker.child.pid();
        try {
            switch (status) {
                case FrameTypes.Pool.OK -> {
                    long start = System.nanoTime();
                    @SuppressWarnings("unchecked")
                    List<Object> results = ((PackedItems) reducer.loads(message, offset, length)).unpack();
                    task.group.deserialized(System.nanoTime() - start);
                    finish(task, results, null, TaskOutcome.SUCCESS);
                }
                case FrameTypes.Pool.FAILED, FrameTypes.Pool.FAILED_WORKER_EXITS -> {
                    Throwable error = (Throwable) reducer.loads(message, offset, length);
                    finish(task, null, new TaskFailedException("task failed in worker pid " + pid + ": " + error,
                            error), TaskOutcome.FAILURE);
                }
                default -> finish(task, null, new TaskFailedException("task ran in worker pid " + pid + ", but "
                        + new String(message, offset, length, StandardCharsets.UTF_8)), TaskOutcome.FAILURE);
            }
        } catch (Throwable e) {
            // The bytes the worker sent could not be made into a result (corrupt, a class this JVM lacks, too deep,
            // or this JVM failed reading them). The task fails with what happened, and the worker is taken out of
            // service, since a worker that sends what cannot be read may be out of step or damaged.
            // Out of service before the caller hears of it, so no later task is given to this worker.
            PoolWorker worker = task.worker;
            synchronized (lock) {
                worker.state = WorkerState.STOPPING;
                if (worker.plannedExit == null) {
                    worker.plannedExit = WorkerExitCause.CHANNEL_FAULT;
                    worker.fault = e;
                }
            }
            worker.child.kill();
            LOG.error("{}: could not load the result of a task from worker {}; killed it, it is replaced", label, pid,
                    e);
            finish(task, null, new TaskFailedException("the result of a task from worker pid " + pid + " could not "
                    + "be loaded in this JVM: " + e.getMessage() + "; the worker was killed and is replaced", e),
                    TaskOutcome.FAILURE);
        }
    }

    private void onExit(PoolWorker worker, int exitCode) {
        PoolTask running;
        List<PoolTask> heldAhead = new ArrayList<>();
        WorkerExitCause cause;
        boolean replace;
        boolean broken;
        boolean countsAsStartFailure;
        long backoffNanos = 0;
        int crashes;
        String reason;
        List<PoolTask> stranded;
        synchronized (lock) {
            workers.remove(worker.child.pid());
            boolean neverReady = worker.state == WorkerState.STARTING;
            cause = worker.plannedExit != null ? worker.plannedExit
                    : worker.child.fault() != null ? WorkerExitCause.CHANNEL_FAULT : WorkerExitCause.CRASHED;
            running = worker.tasks.pollFirst();
            if (running != null && !running.done) {
                running.done = true;
            } else {
                running = null;
            }
            // Never started: the worker runs tasks in order and had not answered the first. Back to the front of
            // the queue in their order, unless they were cancelled or the pool no longer runs queued work.
            boolean requeue = state == PoolState.RUNNING || state == PoolState.CLOSED;
            for (PoolTask task = worker.tasks.pollLast(); task != null; task = worker.tasks.pollLast()) {
                task.worker = null;
                task.startedNanos = 0;
                task.cancelTimers();
                if (requeue && task.killReason == null) {
                    dispatcher.addFirst(task);
                } else {
                    task.done = true;
                    heldAhead.add(0, task);
                }
            }
            // Deaths while the pool shuts down are expected (and a terminated worker is never ready): they say
            // nothing about whether workers can start.
            boolean counting = state == PoolState.RUNNING && !ExitSequence.isExiting();
            // A worker that never got ready says its settings are wrong, whether it died on its own, never
            // connected (killed at the connect deadline) or sent garbage while starting.
            countsAsStartFailure = counting && neverReady
                    && (cause == WorkerExitCause.CRASHED || cause == WorkerExitCause.CHANNEL_FAULT);
            if (countsAsStartFailure) {
                replacements.startFailed();
            } else if (counting && cause == WorkerExitCause.CRASHED) {
                replacements.crashed();
            }
            crashes = replacements.consecutiveCrashes();
            replace = !exitingWithoutOwner()
                    && (state == PoolState.RUNNING || (state == PoolState.CLOSED && !dispatcher.isEmpty()))
                    && !(countsAsStartFailure && replacements.gaveUp())
                    && keptWorkers() < targetWorkers;
            if (replace) {
                pendingLaunches++;
                if (!countsAsStartFailure && cause == WorkerExitCause.CRASHED) {
                    backoffNanos = replacements.replacementDelay().toNanos();
                }
            }
            broken = state == PoolState.BROKEN;
            reason = brokenReason;
            stranded = replace ? List.of() : takeStrandedTasks();
            checkAllWorkersGone();
        }
        if (running != null) {
            running.cancelTimers();
        }
        listeners.fire(listener -> listener.workerExited(worker.child.pid(), cause, exitCode));
        if (running != null) {
            failWithWorker(running, worker, cause, exitCode);
        }
        for (PoolTask task : heldAhead) {
            if (task.killReason == WorkerExitCause.CANCELLED) {
                finish(task, null, new CancellationException("the task was cancelled before it started"),
                        TaskOutcome.CANCELLED);
            } else if (broken) {
                finish(task, null, new WorkerCrashedException("Pool not running: " + reason, -1, 0,
                        List.of()), TaskOutcome.CRASH);
            } else {
                finish(task, null, new CancellationException("the pool was terminated before the task started"),
                        TaskOutcome.CANCELLED);
            }
        }
        failStranded(stranded, "the pool was shutting down and its last worker (pid " + worker.child.pid()
                + ") exited with " + ExitStatus.describe(exitCode) + " before the task started");
        if (countsAsStartFailure && breakIfWorkersKeepDying("the last worker exited with "
                + ExitStatus.describe(exitCode) + " before it was ready" + (worker.child.fault() == null
                        ? stderrNote(worker.child.stderrTail()) : ": " + worker.child.fault().getMessage()))) {
            dispatch();
            return;
        }
        if (!replace) {
            dispatch();
            return;
        }
        if (backoffNanos > 0) {
            long delayMillis = TimeUnit.NANOSECONDS.toMillis(backoffNanos);
            LOG.warn("{}: {} workers in a row died on their own (the last, pid {}, with {}); replacing "
                    + "it in {} ms. Check the tasks: something kills their workers", label, crashes, worker.child.pid(),
                    ExitStatus.describe(exitCode), delayMillis);
            LibraryTimer.schedule(() -> LibraryThreads.start("multiprocess-pool-replace", this::launchDelayed),
                    backoffNanos, TimeUnit.NANOSECONDS);
        } else {
            launchWorker();
        }
        dispatch();
    }

    /** A replacement whose back-off has passed; launched only if the pool still wants it. */
    private void launchDelayed() {
        boolean launch;
        synchronized (lock) {
            launch = !exitingWithoutOwner()
                    && (state == PoolState.RUNNING || (state == PoolState.CLOSED && !dispatcher.isEmpty()));
            if (!launch) {
                pendingLaunches--;
            }
        }
        if (launch) {
            launchWorker();
        } else {
            failStrandedTasks();
        }
        dispatch();
    }

    /**
     * Under the lock: the queued tasks no worker will ever run (the pool is shutting down, no worker is left and none
     * is coming), taken out of the queue.
     */
    private List<PoolTask> takeStrandedTasks() {
        boolean noneComing = state != PoolState.RUNNING || exitingWithoutOwner();
        if (!noneComing || !workers.isEmpty() || pendingLaunches > 0 || dispatcher.isEmpty()) {
            return List.of();
        }
        List<PoolTask> stranded = dispatcher.drain();
        return stranded;
    }

    private void failStrandedTasks() {
        List<PoolTask> stranded;
        synchronized (lock) {
            stranded = takeStrandedTasks();
            checkAllWorkersGone();
        }
        failStranded(stranded, "the pool was shut down with no worker left to run it");
    }

    private void failStranded(List<PoolTask> stranded, String why) {
        for (PoolTask task : stranded) {
            finish(task, null, new CancellationException("Pool shut down: " + why), TaskOutcome.CANCELLED);
        }
    }

    private void failWithWorker(PoolTask task, PoolWorker worker, WorkerExitCause cause, int exitCode) {
        long pid = worker.child.pid();
        switch (task.killReason == null ? cause : task.killReason) {
            case TIMEOUT -> finish(task, null, new TaskTimeoutException("the task ran longer than its timeout of "
                    + task.timeout + "; worker pid " + pid + " was killed and replaced" + (task.threadDump != null
                            ? "; where it was is in threadDump() and in the suppressed stack trace below"
                            : options.threadDumpTimeout().isZero() ? ""
                            : "; it did not send its threads' stacks within " + options.threadDumpTimeout()),
                    task.threadDump), TaskOutcome.TIMEOUT);
            case CHANNEL_FAULT -> {
                Throwable fault = worker.fault != null ? worker.fault : worker.child.fault();
                finish(task, null, new TaskFailedException("this JVM failed while handling a message from worker "
                        + "pid " + pid + " (" + fault + "); the worker was killed and is replaced", fault),
                        TaskOutcome.FAILURE);
            }
            case CANCELLED -> finish(task, null, new CancellationException("the task was cancelled while running; "
                    + "worker pid " + pid + " was killed and replaced"), TaskOutcome.CANCELLED);
            case POOL_SHUTDOWN -> finish(task, null, new CancellationException("the pool was terminated while the "
                    + "task ran in worker pid " + pid), TaskOutcome.CANCELLED);
            default -> {
                List<String> tail = worker.child.stderrTail();
                String how = ExitStatus.describe(exitCode) + (exitCode >= 0 && !worker.child.exitedInOrder()
                        ? " without an orderly exit (a native crash, or the JVM aborted)" : "");
                finish(task, null, new WorkerCrashedException("worker pid " + pid + " died while running the task: "
                        + how + stderrNote(tail), pid, exitCode, tail), TaskOutcome.CRASH);
            }
        }
    }

    /**
     * After {@link Replacements#MAX_START_FAILURES} workers in a row died before they were ready, replacing them
     * would only loop: the pool breaks, fails what is queued and refuses new work, instead of hanging.
     *
     * @return whether the pool is broken
     */
    private boolean breakIfWorkersKeepDying(String lastFailure) {
        List<PoolTask> dropped;
        synchronized (lock) {
            if (state == PoolState.BROKEN) {
                return true;
            }
            if (!replacements.gaveUp()) {
                return false;
            }
            state = PoolState.BROKEN;
            brokenReason = Replacements.MAX_START_FAILURES + " workers in a row could not start (" + lastFailure
                    + "); check the initializer, the JVM arguments and the classpath, then create a new pool";
            dropped = dispatcher.drain();
            checkAllWorkersGone();
        }
        LOG.error("{} broken: {}", label, brokenReason);
        for (PoolTask task : dropped) {
            finish(task, null, new WorkerCrashedException("Pool not running: " + brokenReason, -1, 0, List.of()),
                    TaskOutcome.CRASH);
        }
        return true;
    }

    private void checkAllWorkersGone() {
        if (state != PoolState.RUNNING && workers.isEmpty() && pendingLaunches == 0) {
            allWorkersGone.complete(null);
        }
    }

    /** Listeners first, so that whoever sees the result sees metrics that already count it. */
    private void finish(PoolTask task, List<Object> results, RuntimeException error, TaskOutcome outcome) {
        Duration duration = task.startedNanos == 0 ? Duration.ZERO
                : Duration.ofNanos(System.nanoTime() - task.startedNanos);
        if (error != null) {
            long pid = task.worker == null ? -1 : task.worker.child.pid();
            listeners.fire(listener -> listener.taskFailed(task.id, pid, outcome, error));
        }
        listeners.fire(listener -> listener.taskFinished(task.id, task.size, outcome, duration));
        if (task.trace != null) {
            try {
                task.trace.ended(outcome, error);
            } catch (RuntimeException e) {
                LOG.warn("{}: the task tracer failed: {}", label, e.toString());
            }
        }
        if (error == null) {
            task.completion.succeeded(results);
        } else {
            task.completion.failed(error);
        }
    }

    private static void sendQuietly(PoolWorker worker, byte[] message) {
        try {
            worker.child.send(message);
        } catch (IOException e) {
            // The worker is dying; its exit fails the task it held and replaces it.
            LOG.debug("could not send to pool worker {}: {}", worker.child.pid(), e.toString());
        }
    }

    private static String stderrNote(List<String> tail) {
        return tail.isEmpty() ? "" : "; its stderr ended with:\n  " + String.join("\n  ", tail);
    }
}
