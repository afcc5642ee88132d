package io.multiprocess.pool;

import io.multiprocess.Multiprocess;
import io.multiprocess.internal.ExitSequence;
import io.multiprocess.internal.LibraryThreads;
import io.multiprocess.internal.LibraryTimer;
import io.multiprocess.process.ChildJvm;
import io.multiprocess.process.ControlMessage;
import io.multiprocess.process.ExitStatus;
import io.multiprocess.reduction.Reducer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * How a task reaches a worker, in one place: tasks (already reduced) wait in a queue; an idle worker gets the next
 * one as a TASK message; its RESULT frees the worker for the next.
 *
 * <p>A worker runs one task at a time, in the order its TASK messages arrive, so the first task it holds is the
 * one running and results come back in that order. When a call's tasks are short (see {@link TaskGroup}), a busy
 * worker is handed up to {@link #PREFETCH} more of the same call ahead, so it never waits a round trip between two
 * of them. A worker that dies fails exactly the task it was running; the ones it held ahead never started, and go
 * back to the front of the queue.
 *
 * <p>Also here: replacing workers that die, killing a worker whose task outlives its timeout or is cancelled
 * (after asking it for a thread dump), recycling by task count and memory, close and terminate, what the pool does
 * at JVM exit, listener events and snapshots.
 *
 * <p>Two kinds of death are told apart. A worker that dies before it is ready (it never sent WORKER_READY: a bad
 * JVM flag, classpath or initializer) could not start: after {@link #MAX_START_FAILURES} in a row the pool breaks
 * with the reason, since replacing it would only loop. A worker that was ready and dies (in a task, its first
 * included: SIGKILL, {@code System.exit}, a native crash) fails the task it ran and is always replaced; when such
 * deaths come one after another with no task finishing in between, replacements are slowed by a back-off (shown in
 * the snapshot and logged), never given up.
 *
 * <p>Once the pool is shutting down (closed, terminated, or the JVM exits) no worker is replaced except, for a pool
 * closed gracefully while the JVM goes on, to run the tasks still queued (as Python's pool keeps itself populated
 * until its cache is empty); a worker that dies then fails only its own task, never the pool.
 *
 * <p>Internal: {@link io.multiprocess.ProcessPool} is the public face.
 */
public final class Scheduler implements TaskRunner {

    /** Consecutive workers that die before they are ready after which the pool stops replacing them. */
    static final int MAX_START_FAILURES = 3;
    /** Ready workers that may die in a row and be replaced at once; after that replacements back off. */
    static final int CRASHES_BEFORE_BACKOFF = 3;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final Logger LOG = Multiprocess.getLogger();
    private static final long TERMINATE_GRACE_MILLIS = 1000;
    /** What terminating takes at most at exit: SIGTERM, the grace before SIGKILL, and the exit to be seen. */
    private static final Duration TERMINATE_AT_EXIT = Duration.ofSeconds(3);
    /**
     * Tasks a worker may hold beyond the one it runs. Enough to cover the round trip to the parent with tasks of a
     * few microseconds; small enough that a worker holding them while another goes idle costs little at the end of
     * a call, since only tasks shorter than {@link TaskGroup#SHORT_TASK_NANOS} are handed over ahead.
     */
    public static final int PREFETCH = 8;

    private enum State { RUNNING, CLOSED, TERMINATED, BROKEN }

    private enum WorkerState { STARTING, IDLE, BUSY, STOPPING }

    private final PoolOptions options;
    private final Supplier<ChildJvm> launcher;
    private final Reducer reducer;
    private final Object lock = new Object();
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    private final Map<Long, Worker> workers = new LinkedHashMap<>();
    private final AtomicLong taskIds = new AtomicLong();
    private final PoolListeners listeners = new PoolListeners();
    private final CompletableFuture<Void> allWorkersGone = new CompletableFuture<>();
    private State state = State.RUNNING;
    private int startFailures;
    /** Ready workers that died on their own since a task last finished. */
    private int consecutiveCrashes;
    /** Workers decided on but not yet in {@link #workers}: launching, or waiting for a back-off to pass. */
    private int pendingLaunches;
    private String brokenReason;
    private ExitSequence.Registration atExit;

    /**
     * @param launcher starts one worker process and returns its JVM
     * @param reducer the reducer results come back with
     */
    public Scheduler(PoolOptions options, Supplier<ChildJvm> launcher, Reducer reducer) {
        this.options = options;
        this.launcher = launcher;
        this.reducer = reducer;
    }

    /** Launches all workers at once; they start in parallel. */
    public void start() {
        ExitPolicy policy = options.exitPolicy();
        atExit = ExitSequence.register(ExitSequence.Phase.POOLS, "pool", policy.gracePeriod().plus(TERMINATE_AT_EXIT),
                this::applyExitPolicy);
        allWorkersGone.thenRun(atExit::cancel);
        synchronized (lock) {
            pendingLaunches += options.processes();
        }
        for (int i = 0; i < options.processes(); i++) {
            launchWorker();
        }
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
            LOG.warn("at exit, the process pool still had work after its {} grace period ({}); terminating it",
                    policy.gracePeriod(), policy.mode() == ExitPolicy.Mode.DRAIN ? "draining"
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
        Task task = new Task(taskIds.incrementAndGet(), group, payload, size, timeout, completion);
        synchronized (lock) {
            ensureRunning();
        }
        // Heard before the task is queued, so no listener hears it start before it was submitted.
        listeners.fire(listener -> listener.taskSubmitted(task.id, size));
        boolean queued;
        synchronized (lock) {
            queued = state == State.RUNNING;
            if (queued) {
                queue.addLast(task);
            } else {
                task.done = true;
            }
        }
        if (!queued) {
            finish(task, null, new CancellationException("the pool stopped taking work before the task was "
                    + "queued"), TaskOutcome.CANCELLED);
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
        Task task = (Task) handle;
        Worker running;
        boolean dumpFirst = false;
        synchronized (lock) {
            if (task.done) {
                return false;
            }
            if (queue.remove(task)) {
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
            Worker worker = running;
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
        List<Task> stranded;
        synchronized (lock) {
            if (state == State.RUNNING) {
                state = State.CLOSED;
            }
            stranded = takeStrandedTasks();
        }
        failStranded(stranded, "the pool was shut down with no worker left to run it");
        dispatch();
    }

    /** Fails what is queued or running with a CancellationException, and stops all workers. */
    @Override
    public void terminate() {
        List<Task> dropped;
        List<Worker> toStop;
        synchronized (lock) {
            if (state == State.TERMINATED) {
                return;
            }
            state = State.TERMINATED;
            dropped = new ArrayList<>(queue);
            queue.clear();
            dropped.forEach(task -> task.done = true);
            toStop = new ArrayList<>(workers.values());
            for (Worker worker : toStop) {
                worker.plannedExit = WorkerExitCause.POOL_SHUTDOWN;
                worker.tasks.forEach(task -> task.killReason = WorkerExitCause.POOL_SHUTDOWN);
            }
            checkAllWorkersGone();
        }
        for (Task task : dropped) {
            finish(task, null, new CancellationException("the pool was terminated before the task started"),
                    TaskOutcome.CANCELLED);
        }
        for (Worker worker : toStop) {
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
            return state == State.RUNNING;
        }
    }

    @Override
    public PoolSnapshot snapshot() {
        synchronized (lock) {
            long now = System.nanoTime();
            List<PoolSnapshot.Worker> snapshot = new ArrayList<>();
            int running = 0;
            int heldAhead = 0;
            for (Worker worker : workers.values()) {
                if (!worker.tasks.isEmpty()) {
                    running++;
                    heldAhead += worker.tasks.size() - 1;
                }
                snapshot.add(new PoolSnapshot.Worker(worker.child.pid(), worker.state.name(), worker.tasksDone,
                        Duration.ofNanos(now - worker.launchedNanos), worker.heapUsed));
            }
            return new PoolSnapshot(state.name(), options.processes(), snapshot, queue.size() + heldAhead, running,
                    consecutiveCrashes, replacementDelay());
        }
    }

    private void ensureRunning() {
        if (state != State.RUNNING) {
            throw TaskRunner.notRunning(state.name(), brokenReason);
        }
    }

    /** Launches a worker the caller counted in {@link #pendingLaunches}. */
    private void launchWorker() {
        ChildJvm child;
        try {
            child = launcher.get();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("cannot launch a pool worker: {}", e.getMessage());
            boolean countIt;
            synchronized (lock) {
                pendingLaunches--;
                countIt = state == State.RUNNING;
                if (countIt) {
                    startFailures++;
                }
            }
            if (countIt && !breakIfWorkersKeepDying("launching a worker failed: " + e.getMessage())) {
                // Launching may work again (a passing lack of memory or processes): try again after a pause.
                synchronized (lock) {
                    pendingLaunches++;
                }
                LibraryTimer.schedule(() -> LibraryThreads.start("multiprocess-pool-replace", this::launchDelayed),
                        FIRST_BACKOFF.multipliedBy(1L << Math.min(startFailures, 6)));
            }
            failStrandedTasks();
            return;
        }
        Worker worker = new Worker(child);
        boolean keep;
        synchronized (lock) {
            pendingLaunches--;
            // Terminated (or broken) while it launched: it would be nobody's worker.
            keep = state == State.RUNNING || state == State.CLOSED;
            if (keep) {
                workers.put(child.pid(), worker);
            } else {
                checkAllWorkersGone();
            }
        }
        if (!keep) {
            child.kill();
            return;
        }
        child.onMessage(message -> onMessage(worker, message));
        child.onExit().thenAccept(code -> onExit(worker, code));
        listeners.fire(listener -> listener.workerStarted(child.pid()));
    }

    /** The worker's initializer ran: it takes tasks from now on, and starting workers evidently works. */
    private void onWorkerReady(Worker worker) {
        synchronized (lock) {
            if (worker.state == WorkerState.STARTING && worker.child.isAlive()) {
                worker.state = WorkerState.IDLE;
                startFailures = 0;
            }
        }
        dispatch();
    }

    /**
     * Gives queued tasks to workers, and stops idle workers of a closed pool with nothing left to do. First every
     * idle worker gets the next task; then busy workers are topped up, one task each per round so the queue is
     * shared out evenly, with tasks they may hold ahead.
     */
    private void dispatch() {
        List<Worker> toFlush = new ArrayList<>();
        List<Task> started = new ArrayList<>();
        synchronized (lock) {
            for (Worker worker : workers.values()) {
                if (worker.state != WorkerState.IDLE) {
                    continue;
                }
                Task task = queue.pollFirst();
                if (task != null) {
                    hand(worker, task, started, toFlush);
                } else if (state != State.RUNNING) {
                    worker.state = WorkerState.STOPPING;
                    worker.plannedExit = WorkerExitCause.POOL_SHUTDOWN;
                    worker.outbox.add(PoolFrames.stop());
                    addOnce(toFlush, worker);
                }
            }
            boolean handed = true;
            while (handed && !queue.isEmpty()) {
                handed = false;
                for (Worker worker : workers.values()) {
                    Task next = queue.peekFirst();
                    if (next == null) {
                        break;
                    }
                    if (mayHoldAhead(worker, next)) {
                        hand(worker, queue.pollFirst(), started, toFlush);
                        handed = true;
                    }
                }
            }
        }
        started.forEach(this::taskStarted);
        toFlush.forEach(Scheduler::flush);
    }

    /** Whether a busy worker may be handed {@code next} to run after what it holds. */
    private boolean mayHoldAhead(Worker worker, Task next) {
        return worker.state == WorkerState.BUSY
                && worker.tasks.size() <= PREFETCH
                && next.timeout == null
                && next.group == worker.tasks.peekLast().group
                && next.group.runsShortTasks()
                && (options.maxTasksPerChild() <= 0
                        || worker.tasksDone + worker.tasks.size() < options.maxTasksPerChild());
    }

    /** Under the lock: {@code task} becomes the worker's, its TASK message queued behind what the worker holds. */
    private static void hand(Worker worker, Task task, List<Task> started, List<Worker> toFlush) {
        worker.tasks.addLast(task);
        task.worker = worker;
        if (worker.tasks.size() == 1) {
            worker.state = WorkerState.BUSY;
            task.startedNanos = System.nanoTime();
            started.add(task);
        }
        worker.outbox.add(PoolFrames.task(task.id, task.payload));
        addOnce(toFlush, worker);
    }

    private static void addOnce(List<Worker> workers, Worker worker) {
        if (!workers.contains(worker)) {
            workers.add(worker);
        }
    }

    /** Outside the lock: the task is now the one its worker runs. */
    private void taskStarted(Task task) {
        Worker worker = task.worker;
        listeners.fire(listener -> listener.taskStarted(task.id, task.size, worker.child.pid()));
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

    private void requestThreadDump(Worker worker, Task task) {
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
    private void onThreads(Worker worker, byte[] message) {
        ThreadDump dump;
        try {
            dump = ThreadDump.decode(worker.child.pid(), Duration.ZERO, message, 1);
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("pool worker {} sent a thread dump that could not be read: {}", worker.child.pid(),
                    e.toString());
            return;
        }
        Task task;
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
    private static void flush(Worker worker) {
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

    private void onTimeout(Worker worker, Task task) {
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

    private void onMessage(Worker worker, byte[] message) {
        switch (message[0]) {
            case ControlMessage.RESULT -> onResult(worker, message);
            case ControlMessage.WORKER_READY -> onWorkerReady(worker);
            case ControlMessage.THREADS -> onThreads(worker, message);
            default -> LOG.debug("pool worker {} sent a message of type {}; ignored", worker.child.pid(), message[0]);
        }
    }

    private void onResult(Worker worker, byte[] message) {
        long id = PoolFrames.resultId(message);
        long heapUsed = PoolFrames.resultHeapUsed(message);
        long rss = options.maxWorkerRssBytes() > 0 ? worker.child.residentBytes() : -1;
        Task task;
        Task next;
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
            task.done = true;
            worker.tasksDone++;
            worker.heapUsed = heapUsed;
            if (consecutiveCrashes >= CRASHES_BEFORE_BACKOFF) {
                LOG.info("process pool: a task finished again after {} workers in a row died; workers are replaced "
                        + "at once again", consecutiveCrashes);
            }
            consecutiveCrashes = 0;
            boolean exiting = PoolFrames.resultStatus(message) == PoolFrames.FAILED_WORKER_EXITS;
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
        if (retire) {
            flush(worker);
        }
        dispatch();
        complete(task, message);
        if (next != null) {
            // Heard after the previous task's end, as it happened: the worker takes the next one when done.
            taskStarted(next);
        }
    }

    /**
     * Turns a RESULT message into the task's outcome; runs on the worker's reader thread, outside the lock. Whatever
     * goes wrong here ends the task: it is no longer the worker's, so nothing else would.
     */
    private void complete(Task task, byte[] message) {
        int offset = PoolFrames.RESULT_HEADER;
        int length = message.length - offset;
        long pid = task.worker.child.pid();
        try {
            switch (PoolFrames.resultStatus(message)) {
                case PoolFrames.OK -> {
                    @SuppressWarnings("unchecked")
                    List<Object> results = (List<Object>) reducer.loads(message, offset, length);
                    finish(task, results, null, TaskOutcome.SUCCESS);
                }
                case PoolFrames.FAILED, PoolFrames.FAILED_WORKER_EXITS -> {
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
            Worker worker = task.worker;
            synchronized (lock) {
                worker.state = WorkerState.STOPPING;
                if (worker.plannedExit == null) {
                    worker.plannedExit = WorkerExitCause.CHANNEL_FAULT;
                    worker.fault = e;
                }
            }
            worker.child.kill();
            LOG.error("could not load the result of a task from pool worker {}; killed it, it is replaced", pid, e);
            finish(task, null, new TaskFailedException("the result of a task from worker pid " + pid + " could not "
                    + "be loaded in this JVM: " + e.getMessage() + "; the worker was killed and is replaced", e),
                    TaskOutcome.FAILURE);
        }
    }

    private void onExit(Worker worker, int exitCode) {
        Task running;
        List<Task> heldAhead = new ArrayList<>();
        WorkerExitCause cause;
        boolean replace;
        boolean broken;
        boolean countsAsStartFailure;
        long backoffNanos = 0;
        int crashes;
        String reason;
        List<Task> stranded;
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
            boolean requeue = state == State.RUNNING || state == State.CLOSED;
            for (Task task = worker.tasks.pollLast(); task != null; task = worker.tasks.pollLast()) {
                task.worker = null;
                task.startedNanos = 0;
                task.cancelTimers();
                if (requeue && task.killReason == null) {
                    queue.addFirst(task);
                } else {
                    task.done = true;
                    heldAhead.add(0, task);
                }
            }
            // Deaths while the pool shuts down are expected (and a terminated worker is never ready): they say
            // nothing about whether workers can start.
            boolean counting = state == State.RUNNING && !ExitSequence.isExiting();
            // A worker that never got ready says its settings are wrong, whether it died on its own, never
            // connected (killed at the connect deadline) or sent garbage while starting.
            countsAsStartFailure = counting && neverReady
                    && (cause == WorkerExitCause.CRASHED || cause == WorkerExitCause.CHANNEL_FAULT);
            if (countsAsStartFailure) {
                startFailures++;
            } else if (counting && cause == WorkerExitCause.CRASHED) {
                consecutiveCrashes++;
            }
            crashes = consecutiveCrashes;
            replace = !ExitSequence.isExiting()
                    && (state == State.RUNNING || (state == State.CLOSED && !queue.isEmpty()))
                    && !(countsAsStartFailure && startFailures >= MAX_START_FAILURES);
            if (replace) {
                pendingLaunches++;
                if (!countsAsStartFailure && cause == WorkerExitCause.CRASHED) {
                    backoffNanos = replacementDelay().toNanos();
                }
            }
            broken = state == State.BROKEN;
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
        for (Task task : heldAhead) {
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
            LOG.warn("process pool: {} workers in a row died on their own (the last, pid {}, with {}); replacing "
                    + "it in {} ms. Check the tasks: something kills their workers", crashes, worker.child.pid(),
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
            launch = !ExitSequence.isExiting()
                    && (state == State.RUNNING || (state == State.CLOSED && !queue.isEmpty()));
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

    /** How long the next replacement of a worker that died on its own waits, under the lock. */
    private Duration replacementDelay() {
        if (consecutiveCrashes <= CRASHES_BEFORE_BACKOFF) {
            return Duration.ZERO;
        }
        int doublings = Math.min(consecutiveCrashes - CRASHES_BEFORE_BACKOFF - 1, 16);
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << doublings);
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }

    /**
     * Under the lock: the queued tasks no worker will ever run (the pool is shutting down, no worker is left and none
     * is coming), taken out of the queue.
     */
    private List<Task> takeStrandedTasks() {
        boolean noneComing = state != State.RUNNING || ExitSequence.isExiting();
        if (!noneComing || !workers.isEmpty() || pendingLaunches > 0 || queue.isEmpty()) {
            return List.of();
        }
        List<Task> stranded = new ArrayList<>(queue);
        queue.clear();
        stranded.forEach(task -> task.done = true);
        return stranded;
    }

    private void failStrandedTasks() {
        List<Task> stranded;
        synchronized (lock) {
            stranded = takeStrandedTasks();
            checkAllWorkersGone();
        }
        failStranded(stranded, "the pool was shut down with no worker left to run it");
    }

    private void failStranded(List<Task> stranded, String why) {
        for (Task task : stranded) {
            finish(task, null, new CancellationException("Pool shut down: " + why), TaskOutcome.CANCELLED);
        }
    }

    private void failWithWorker(Task task, Worker worker, WorkerExitCause cause, int exitCode) {
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
     * After {@link #MAX_START_FAILURES} workers in a row died before they were ready, replacing them would only
     * loop: the pool breaks, fails what is queued and refuses new work, instead of hanging.
     *
     * @return whether the pool is broken
     */
    private boolean breakIfWorkersKeepDying(String lastFailure) {
        List<Task> dropped;
        synchronized (lock) {
            if (state == State.BROKEN) {
                return true;
            }
            if (startFailures < MAX_START_FAILURES) {
                return false;
            }
            state = State.BROKEN;
            brokenReason = MAX_START_FAILURES + " workers in a row could not start (" + lastFailure
                    + "); check the initializer, the JVM arguments and the classpath, then create a new pool";
            dropped = new ArrayList<>(queue);
            queue.clear();
            dropped.forEach(task -> task.done = true);
            checkAllWorkersGone();
        }
        LOG.error("process pool broken: {}", brokenReason);
        for (Task task : dropped) {
            finish(task, null, new WorkerCrashedException("Pool not running: " + brokenReason, -1, 0, List.of()),
                    TaskOutcome.CRASH);
        }
        return true;
    }

    private void checkAllWorkersGone() {
        if (state != State.RUNNING && workers.isEmpty() && pendingLaunches == 0) {
            allWorkersGone.complete(null);
        }
    }

    /** Listeners first, so that whoever sees the result sees metrics that already count it. */
    private void finish(Task task, List<Object> results, RuntimeException error, TaskOutcome outcome) {
        Duration duration = task.startedNanos == 0 ? Duration.ZERO
                : Duration.ofNanos(System.nanoTime() - task.startedNanos);
        listeners.fire(listener -> listener.taskFinished(task.id, task.size, outcome, duration));
        if (error == null) {
            task.completion.succeeded(results);
        } else {
            task.completion.failed(error);
        }
    }

    private static void sendQuietly(Worker worker, byte[] message) {
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

    /** A task: what one TASK message carries, and how it ends. */
    static final class Task implements TaskRunner.Task {
        private final long id;
        private final TaskGroup group;
        private final byte[] payload;
        private final int size;
        private final Duration timeout;
        private final Completion completion;
        private Worker worker;
        private long startedNanos;
        private boolean done;
        private WorkerExitCause killReason;
        private volatile ScheduledFuture<?> timeoutCheck;
        private volatile ScheduledFuture<?> dumpRequest;
        private ThreadDump threadDump;

        private Task(long id, TaskGroup group, byte[] payload, int size, Duration timeout, Completion completion) {
            this.id = id;
            this.group = group;
            this.payload = payload;
            this.size = size;
            this.timeout = timeout;
            this.completion = completion;
        }

        private void cancelTimers() {
            ScheduledFuture<?> check = timeoutCheck;
            if (check != null) {
                check.cancel(false);
            }
            ScheduledFuture<?> dump = dumpRequest;
            if (dump != null) {
                dump.cancel(false);
            }
        }
    }

    private static final class Worker {
        private final ChildJvm child;
        private final long launchedNanos = System.nanoTime();
        private WorkerState state = WorkerState.STARTING;
        /** The task it runs first, then the ones it holds ahead, in the order their TASK messages were queued. */
        private final ArrayDeque<Task> tasks = new ArrayDeque<>();
        /** Messages queued under the scheduler's lock, sent in that order by {@link #flush}. */
        private final Queue<byte[]> outbox = new ConcurrentLinkedQueue<>();
        private final Object sendLock = new Object();
        private long tasksDone;
        private long heapUsed = -1;
        private WorkerExitCause plannedExit;
        /** What went wrong in this JVM with the worker's messages, when that took it out of service. */
        private Throwable fault;
        /** The task whose thread dump was asked for, and the answer once it came. */
        private Task dumpTask;
        private ThreadDump dump;
        private long dumpReceivedNanos;
        /** A cancel that kills waits for the dump (or its timeout) before the kill. */
        private boolean killWhenDumped;

        private Worker(ChildJvm child) {
            this.child = child;
        }

        /** Under the scheduler's lock, at the kill: the dump taken for {@code task}, if it came. */
        private ThreadDump takeDump(Task task) {
            if (dumpTask != task || dump == null) {
                return null;
            }
            ThreadDump taken = new ThreadDump(dump.workerPid(),
                    Duration.ofNanos(System.nanoTime() - dumpReceivedNanos), dump.threads());
            dump = null;
            return taken;
        }
    }
}
