package io.multiprocess.internal.pool;

import io.multiprocess.internal.launch.ChildJvm;
import io.multiprocess.pool.ThreadDump;
import io.multiprocess.pool.WorkerExitCause;
import io.multiprocess.pool.WorkerState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A worker JVM of a {@link Scheduler}, as the scheduler sees it: its state, the tasks it holds, what it has done.
 * Fields are guarded by the scheduler's lock, except the outbox (a concurrent queue, sent under {@link #sendLock}).
 */
final class PoolWorker {
    final ChildJvm child;
    final long launchedNanos = System.nanoTime();
    WorkerState state = WorkerState.STARTING;
    /** The task it runs first, then the ones it holds ahead, in the order their TASK messages were queued. */
    final ArrayDeque<PoolTask> tasks = new ArrayDeque<>();
    /** Messages queued under the scheduler's lock, sent in that order by the scheduler. */
    final Queue<byte[]> outbox = new ConcurrentLinkedQueue<>();
    final Object sendLock = new Object();
    long tasksDone;
    /** The task it runs now, or null: read without the lock, by its output's relay. */
    volatile PoolTask running;
    /** Where its time went, in nanoseconds, as its results report it (see TimeSpent). */
    long startingNanos;
    long waitingNanos;
    long deserializingNanos;
    long workingNanos;
    long serializingNanos;
    /** Its place in the pool; see {@link io.multiprocess.pool.PoolSnapshot.Worker#slot}. */
    int slot;
    long heapUsed = -1;
    WorkerExitCause plannedExit;
    /** What went wrong in this JVM with the worker's messages, when that took it out of service. */
    Throwable fault;
    /** The task whose thread dump was asked for, and the answer once it came. */
    PoolTask dumpTask;
    ThreadDump dump;
    long dumpReceivedNanos;
    /** A cancel that kills waits for the dump (or its timeout) before the kill. */
    boolean killWhenDumped;

    PoolWorker(ChildJvm child) {
        this.child = child;
    }

    /** Under the scheduler's lock, at the kill: the dump taken for {@code task}, if it came. */
    ThreadDump takeDump(PoolTask task) {
        if (dumpTask != task || dump == null) {
            return null;
        }
        ThreadDump taken = new ThreadDump(dump.workerPid(),
                Duration.ofNanos(System.nanoTime() - dumpReceivedNanos), dump.threads());
        dump = null;
        return taken;
    }
}
