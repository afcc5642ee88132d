package io.multiprocess.internal.pool;

import java.util.Map;
import org.slf4j.MDC;

/**
 * In a worker, the trace a task runs in (see {@link io.multiprocess.pool.TaskTracer}): its headers for the task's
 * code, and the W3C {@code traceparent}'s ids in SLF4J's MDC, under the keys Micrometer Tracing and Spring Boot's
 * log patterns use.
 */
public final class WorkerTrace {

    public static final String TRACE_ID = "traceId";
    public static final String SPAN_ID = "spanId";

    private static final ThreadLocal<Map<String, String>> CURRENT = new ThreadLocal<>();

    private WorkerTrace() {
    }

    public static Map<String, String> currentHeaders() {
        Map<String, String> headers = CURRENT.get();
        return headers == null ? Map.of() : headers;
    }

    /** Enters the task's trace on this thread; {@link #exit} leaves it. */
    public static void enter(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return;
        }
        CURRENT.set(Map.copyOf(headers));
        String[] ids = ids(headers.get("traceparent"));
        if (ids != null) {
            MDC.put(TRACE_ID, ids[0]);
            MDC.put(SPAN_ID, ids[1]);
        }
    }

    public static void exit(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return;
        }
        CURRENT.remove();
        MDC.remove(TRACE_ID);
        MDC.remove(SPAN_ID);
    }

    /**
     * The trace and span id of a W3C {@code traceparent} ({@code version-traceid-spanid-flags}, lower-case hex), or
     * null when it is not one.
     */
    public static String[] ids(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.split("-");
        if (parts.length < 4 || parts[1].length() != 32 || parts[2].length() != 16 || !hex(parts[1])
                || !hex(parts[2])) {
            return null;
        }
        return new String[] {parts[1], parts[2]};
    }

    private static boolean hex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
