package io.multiprocess.spring.boot.autoconfigure.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code multiprocess.task} observation: low-cardinality {@code pool}, {@code kind} and {@code outcome} (so the
 * timer Micrometer makes of it is tagged as the starter's other meters are); high-cardinality {@code worker.pid},
 * {@code task.id}, {@code items}, and the milliseconds the task spent {@code queued} and {@code running}.
 */
public class DefaultTaskObservationConvention implements TaskObservationConvention {

    public static final String NAME = "multiprocess.task";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(TaskObservationContext context) {
        return "multiprocess " + context.getCallKind();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(TaskObservationContext context) {
        String outcome = context.getOutcome() == null ? "unknown"
                : context.getOutcome().name().toLowerCase(Locale.ROOT);
        return KeyValues.of(KeyValue.of("pool", context.getPool()), KeyValue.of("kind", context.getCallKind()),
                KeyValue.of("outcome", outcome));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(TaskObservationContext context) {
        KeyValues values = KeyValues.of(KeyValue.of("task.id", Long.toString(context.getTaskId())),
                KeyValue.of("items", Integer.toString(context.getItems())));
        if (context.getWorkerPid() > 0) {
            values = values.and("worker.pid", Long.toString(context.getWorkerPid()));
        }
        if (context.getQueued() != null) {
            values = values.and("queued.ms", millis(context.getQueued()));
        }
        if (context.getRunning() != null) {
            values = values.and("running.ms", millis(context.getRunning()));
        }
        return values;
    }

    private static String millis(Duration time) {
        return String.format(Locale.ROOT, "%.3f", time.toNanos() / 1e6);
    }
}
