package io.multiprocess;

import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.function.SerializableFunction;
import io.multiprocess.function.SerializableRunnable;
import io.multiprocess.internal.launch.ChildChannel;
import io.multiprocess.internal.pool.PoolFrames;
import io.multiprocess.internal.pool.PackedItems;
import io.multiprocess.internal.pool.TaskBatch;
import io.multiprocess.internal.pool.ThreadDumps;
import io.multiprocess.internal.pool.WorkerTrace;
import io.multiprocess.internal.transport.FrameTypes;
import io.multiprocess.pool.WorkerCrashedException;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import io.multiprocess.reduction.ReductionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A pool worker: a process whose {@code run()} runs the initializer, then takes TASK messages from its control
 * channel, runs each batch and sends back one RESULT, until STOP (Python's {@code pool.worker}).
 *
 * <p>Internal: created by {@link io.multiprocess.ProcessPool}.
 */
final class PoolWorkerProcess extends MpProcess {

    private static final long serialVersionUID = 1L;
    /** Exit code of a worker that ends itself after a VM error (e.g. OutOfMemoryError) in a task. */
    static final int FATAL_ERROR_EXIT_CODE = 75;
    private static volatile VirtualMachineError fatal;
    /** The reducer this JVM ran {@link #rehearseTask} with, if it did: a forkserver spare did before it was ready. */
    private static volatile String rehearsedWith;

    private final SerializableRunnable initializer;
    private final String reducerName;

    /**
     * A worker, not started yet.
     *
     * @param reducerName the reducer of the pool: tasks arrive and results leave through it, whatever the
     *     context's reducer is by the time this worker starts
     */
    static PoolWorkerProcess create(BaseContext context, String name, SerializableRunnable initializer,
            String reducerName) {
        return new PoolWorkerProcess(context, name, initializer, reducerName);
    }

    // Private, as the one below: Jackson would take a public constructor with parameters for its creator and call
    // it without a context, so a worker could not be rebuilt in the child under reducer 'jackson'.
    private PoolWorkerProcess(BaseContext context, String name, SerializableRunnable initializer,
            String reducerName) {
        super(context);
        setName(name);
        setDaemon(true);
        this.initializer = initializer;
        this.reducerName = reducerName;
    }

    private PoolWorkerProcess() {
        this.initializer = null;
        this.reducerName = null;
    }

    /** What one TASK message carries: {@code function} applied to each of {@code items}. */
    static Object batch(SerializableFunction<Object, Object> function, List<Object> items) {
        return new TaskBatch(function, items);
    }

    @Override
    public void run() throws Exception {
        if (initializer != null) {
            initializer.run();
        }
        ChildChannel channel = ChildChannel.current();
        Reducer reducer = Reducers.byName(reducerName);
        Thread taskThread = Thread.currentThread();
        channel.answerThreadDumps(() -> PoolFrames.threads(ThreadDumps.capture(taskThread)));
        if (!reducer.name().equals(rehearsedWith)) {
            // A JVM launched for this worker (spawn, or no spare ready): rehearse before the pool counts it as
            // ready, so its first task is not the slow one; meanwhile the pool's other workers take the tasks.
            rehearseQuietly(reducer);
        }
        // Tasks come only after this: a worker that dies before it (a bad initializer) never took one, and the pool
        // counts it as one that could not start.
        channel.send(PoolFrames.workerReady());
        while (true) {
            long waitStart = System.nanoTime();
            byte[] message = channel.receive();
            if (message[0] == FrameTypes.Pool.STOP) {
                return;
            }
            if (message[0] == FrameTypes.Pool.TASK) {
                channel.taskStarted();
                long waited = System.nanoTime() - waitStart;
                PoolFrames.Task task = PoolFrames.Task.read(message);
                byte[] result;
                WorkerTrace.enter(task.headers());
                try {
                    result = runBatch(reducer, task.batchId(), task.payload(), waited);
                } finally {
                    WorkerTrace.exit(task.headers());
                }
                channel.send(result);
                if (fatal != null) {
                    // After an OutOfMemoryError or another VM error this JVM cannot be trusted: end it, so the pool
                    // replaces it with a fresh one.
                    System.exit(FATAL_ERROR_EXIT_CODE);
                }
            }
        }
    }

    /**
     * Runs a pool task once the way a TASK arrives (the frame read, the batch loaded, the function applied, the
     * results packed, reduced and framed), so that a forkserver spare that becomes a worker does not pay for that
     * path's first run on its first real task: the reducer's per-JVM work (record serializers, their reflection and
     * annotation proxies) and the linking and interpreting of this code. A recycled or replaced worker comes from
     * such a spare. The result goes nowhere, and nothing of a real task's failure handling runs: a rehearsal that
     * fails marks no JVM as broken and ends none.
     *
     * @throws Exception if the rehearsal fails; callers other than tests use {@link #rehearseQuietly}
     */
    static void rehearseTask(Reducer reducer) throws Exception {
        rehearsedWith = reducer.name();
        SerializableFunction<Object, Object> increment = item -> (Integer) item + 1;
        // A map's chunk, and an apply's task as Pool wraps it (Pool itself comes with it).
        rehearse(reducer, batch(increment, new ArrayList<>(List.of(1, 2))), 2);
        rehearse(reducer, batch(Pool.calling(() -> null), Arrays.asList((Object) null)), 1);
    }

    /**
     * {@link #rehearseTask}, whose failure only costs the speed-up: a custom reducer that cannot carry the
     * rehearsal's lambdas or results still serves what it can, and the JVM goes on to report ready.
     */
    static void rehearseQuietly(Reducer reducer) {
        try {
            rehearseTask(reducer);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            Multiprocess.getLogger().debug("this JVM skips the pool task rehearsal: {}", e.toString());
        }
    }

    private static void rehearse(Reducer reducer, Object batch, int expected) throws Exception {
        PoolFrames.Task task = PoolFrames.Task.read(PoolFrames.task(0, List.of(), reducer.dumps(batch)));
        WorkerTrace.enter(task.headers());
        try {
            List<Object> results = applyAll((TaskBatch) reducer.loads(task.payload()));
            byte[] frame = PoolFrames.result(task.batchId(), FrameTypes.Pool.OK, heapUsed(),
                    PoolFrames.WorkerTimes.NONE, reducer.dumps(PackedItems.pack(results)));
            PoolFrames.Result.read(frame);
            if (results.size() != expected) {
                throw new IOException("the rehearsal's task gave " + results.size() + " results, not " + expected);
            }
        } finally {
            WorkerTrace.exit(task.headers());
        }
    }

    /** Runs a batch; its RESULT says where the time went, from {@code waited} before it arrived on. */
    private static byte[] runBatch(Reducer reducer, long batchId, byte[] payload, long waited) {
        List<Object> results;
        long start = System.nanoTime();
        long loaded = start;
        try {
            TaskBatch batch = (TaskBatch) reducer.loads(payload);
            loaded = System.nanoTime();
            results = applyAll(batch);
        } catch (Throwable failure) {
            byte status = FrameTypes.Pool.FAILED;
            if (failure instanceof VirtualMachineError error) {
                fatal = error;
                status = FrameTypes.Pool.FAILED_WORKER_EXITS;
            }
            long now = System.nanoTime();
            return failedResult(reducer, batchId, status, failure,
                    new PoolFrames.WorkerTimes(waited, loaded - start, now - loaded, 0));
        }
        long worked = System.nanoTime();
        PoolFrames.WorkerTimes times = new PoolFrames.WorkerTimes(waited, loaded - start, worked - loaded, 0);
        try {
            byte[] reduced = reducer.dumps(PackedItems.pack(results));
            times = new PoolFrames.WorkerTimes(waited, loaded - start, worked - loaded, System.nanoTime() - worked);
            return PoolFrames.result(batchId, FrameTypes.Pool.OK, heapUsed(), times, reduced);
        } catch (ReductionException e) {
            // Also a result too deep for the stack: the reducer turns the StackOverflowError into this once the
            // stack has unwound, and the worker goes on serving; KryoReducer prepares that path.
            String text = "the result could not be sent back from the worker: " + e.getMessage();
            return PoolFrames.result(batchId, FrameTypes.Pool.UNREDUCIBLE, heapUsed(), times,
                    text.getBytes(StandardCharsets.UTF_8));
        } catch (Throwable e) {
            // Not a value the reducer refused: this JVM failed while reducing (a class that could not be
            // initialized, memory). It cannot be trusted with the next task.
            fatal = e instanceof VirtualMachineError error ? error : new InternalError(e.toString(), e);
            return failedResult(reducer, batchId, FrameTypes.Pool.FAILED_WORKER_EXITS, new MultiprocessException(
                    "the result could not be sent back from the worker: reducing it failed with " + e
                    + "; the worker exits and is replaced", e), times);
        }
    }

    /** The batch's function applied to each of its items, in order. */
    private static List<Object> applyAll(TaskBatch batch) throws Exception {
        List<Object> items = batch.items();
        List<Object> results = new ArrayList<>(items.size());
        for (Object item : items) {
            results.add(batch.function().apply(item));
        }
        return results;
    }

    private static byte[] failedResult(Reducer reducer, long batchId, byte status, Throwable failure,
            PoolFrames.WorkerTimes times) {
        try {
            return PoolFrames.result(batchId, status, heapUsed(), times, reduceFailure(reducer, failure));
        } catch (Throwable e) {
            // Even the stand-in could not be reduced: this JVM is broken. Its stderr tail tells the parent why,
            // in the WorkerCrashedException of this task.
            System.err.println("pool worker: the task failed with " + failure + ", and that could not be sent back"
                    + " (" + e + "); the worker exits");
            System.exit(FATAL_ERROR_EXIT_CODE);
            throw new AssertionError("unreachable", e);
        }
    }

    /** The task's exception, or, if it cannot travel, a stand-in with its type, message and stack trace. */
    private static byte[] reduceFailure(Reducer reducer, Throwable failure) {
        try {
            return reducer.dumps(failure);
        } catch (ReductionException e) {
            // Also an exception too deep for the stack (a long cause chain, a deep field): the stand-in is shallow.
            String text = failure + " (the exception itself could not be sent back with reducer '" + reducer.name()
                    + "': " + e.getMessage() + ")";
            MultiprocessException standIn = new MultiprocessException(text);
            standIn.setStackTrace(failure.getStackTrace());
            try {
                return reducer.dumps(standIn);
            } catch (ReductionException notEvenThat) {
                // Jackson rebuilds only exceptions with a no-argument constructor.
                RuntimeException plain = new RuntimeException(text);
                plain.setStackTrace(failure.getStackTrace());
                return reducer.dumps(plain);
            }
        }
    }

    private static long heapUsed() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
