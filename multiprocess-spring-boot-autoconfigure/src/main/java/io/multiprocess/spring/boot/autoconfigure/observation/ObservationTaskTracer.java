package io.multiprocess.spring.boot.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.multiprocess.pool.TaskOutcome;
import io.multiprocess.pool.TaskTracer;
import java.time.Duration;
import java.util.Map;

/**
 * Each pool task as a Micrometer {@link Observation} ({@code multiprocess.task}), a child of the observation that
 * was current on the thread that made the call (an HTTP request's, say). With Micrometer Tracing in the
 * application, the observation is a span whose context the tracing handler writes into the task's headers: the
 * worker runs the task inside it, so its log lines carry the request's trace id.
 *
 * <pre>{@code
 * context.setTaskTracer(new ObservationTaskTracer(observationRegistry, null));   // what the starter does
 * }</pre>
 */
public class ObservationTaskTracer implements TaskTracer {

    private static final TaskObservationConvention DEFAULT = new DefaultTaskObservationConvention();

    private final ObservationRegistry registry;
    private final TaskObservationConvention convention;

    /** @param convention replaces the default names and tags; may be null */
    public ObservationTaskTracer(ObservationRegistry registry, TaskObservationConvention convention) {
        this.registry = registry;
        this.convention = convention;
    }

    @Override
    public Call callStarted(String pool, String kind) {
        if (registry.isNoop()) {
            return null;
        }
        Observation parent = registry.getCurrentObservation();
        return (taskId, size) -> new TracedTask(pool, kind, taskId, size, parent);
    }

    private final class TracedTask implements TaskTracer.Task {
        private final TaskObservationContext context;
        private final Observation observation;
        private final long submittedNanos = System.nanoTime();
        private volatile long startedNanos;

        TracedTask(String pool, String kind, long taskId, int size, Observation parent) {
            context = new TaskObservationContext(pool, kind, taskId, size);
            observation = Observation.createNotStarted(convention, DEFAULT, () -> context, registry)
                    .parentObservation(parent).start();
        }

        @Override
        public Map<String, String> headers() {
            return context.getCarrier();
        }

        @Override
        public void started(long workerPid) {
            startedNanos = System.nanoTime();
            context.setWorkerPid(workerPid);
            context.setQueued(Duration.ofNanos(startedNanos - submittedNanos));
            observation.event(Observation.Event.of("multiprocess.task.started", "started on worker " + workerPid));
        }

        @Override
        public void ended(TaskOutcome outcome, RuntimeException error) {
            long now = System.nanoTime();
            long started = startedNanos;
            context.setOutcome(outcome);
            if (started == 0) {
                context.setQueued(Duration.ofNanos(now - submittedNanos));
                context.setRunning(Duration.ZERO);
            } else {
                context.setRunning(Duration.ofNanos(now - started));
            }
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        }
    }
}
