package io.multiprocess;

import io.multiprocess.function.SerializableFunction;
import io.multiprocess.internal.pool.TaskRunner;
import io.multiprocess.pool.CallProgress;
import io.multiprocess.pool.PoolBackend;
import io.multiprocess.pool.PoolListener;
import io.multiprocess.pool.PoolSnapshot;
import io.multiprocess.pool.PoolTotals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** A {@link PoolBackend} seen as the task runner a {@link Pool} is written against. */
final class BackendRunner implements TaskRunner {

    private final PoolBackend backend;

    BackendRunner(PoolBackend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    TaskRunner.Task submit(SerializableFunction<Object, Object> function, List<Object> items, Duration timeout,
            TaskRunner.Completion completion) {
        // A chunk is a view of the whole call's items (see Pool.submitAll); a backend gets a list of its own, which it
        // may keep, change or serialize as it likes.
        List<Object> batch = new ArrayList<>(items);
        PoolBackend.Submission submission = backend.submit(function, batch, timeout, new PoolBackend.Completion() {
            @Override
            public void succeeded(List<Object> results) {
                completion.succeeded(results);
            }

            @Override
            public void failed(RuntimeException error) {
                completion.failed(error);
            }
        });
        return new Submitted(Objects.requireNonNull(submission, "the backend returned no submission"));
    }

    int processes() {
        return backend.processes();
    }

    @Override
    public boolean cancel(TaskRunner.Task task, boolean stopRunning) {
        return ((Submitted) task).submission().cancel(stopRunning);
    }

    @Override
    public void close() {
        backend.shutdown();
    }

    @Override
    public void terminate() {
        backend.terminate();
    }

    @Override
    public boolean isRunning() {
        return backend.isRunning();
    }

    @Override
    public CompletableFuture<Void> whenAllWorkersGone() {
        return backend.whenStopped();
    }

    @Override
    public PoolSnapshot snapshot() {
        return backend.snapshot();
    }

    @Override
    public void callProgressed(CallProgress progress) {
        backend.callProgressed(progress);
    }

    @Override
    public PoolTotals totals() {
        return backend.totals();
    }

    @Override
    public void addListener(PoolListener listener) {
        backend.addListener(listener);
    }

    @Override
    public void removeListener(PoolListener listener) {
        backend.removeListener(listener);
    }

    private record Submitted(PoolBackend.Submission submission) implements TaskRunner.Task {
    }
}
