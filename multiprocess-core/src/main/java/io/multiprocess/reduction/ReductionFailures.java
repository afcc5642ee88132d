package io.multiprocess.reduction;

import java.util.List;

/** Builds the {@link ReductionException} messages all reducers share, so users see one format. */
final class ReductionFailures {

    static final String SAME_CLASSPATH_HINT =
            "Parent and child processes must run the same classpath (same classes, same versions).";

    private ReductionFailures() {
    }

    /**
     * "Cannot reduce a value of type com.x.Task with reducer 'kryo' (field path: Task.arg$1 -> Foo.socket):
     * cause. hint".
     */
    static ReductionException cannotDump(String reducer, Object value, List<String> fieldPath, String cause,
            String hint, Throwable exception) {
        StringBuilder message = new StringBuilder("Cannot reduce a value of type ").append(typeName(value.getClass()))
                .append(" with reducer '").append(reducer).append('\'');
        if (!fieldPath.isEmpty()) {
            message.append(" (field path: ").append(String.join(" -> ", fieldPath)).append(')');
        }
        message.append(": ").append(cause);
        if (!cause.endsWith(".")) {
            message.append('.');
        }
        if (!hint.isEmpty()) {
            message.append(' ').append(hint);
        }
        return new ReductionException(message.toString(), exception);
    }

    /**
     * Explains a failed load: a missing class if that is the cause, otherwise unreadable bytes. Errors of the JVM
     * itself other than a stack overflow or a failed allocation (which one message causes and which end with it)
     * are not a message's fault and are thrown as they are.
     */
    static ReductionException cannotLoad(String reducer, ClassLoader loader, Throwable exception) {
        if (exception instanceof VirtualMachineError && !(exception instanceof StackOverflowError)
                && !(exception instanceof OutOfMemoryError)) {
            throw (VirtualMachineError) exception;
        }
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof ReductionException reduction) {
                return new ReductionException("Cannot load a value with reducer '" + reducer + "': "
                        + reduction.getMessage(), exception);
            }
            if (cause instanceof ClassNotFoundException || cause instanceof NoClassDefFoundError) {
                return new ReductionException("Cannot load a value with reducer '" + reducer + "': class "
                        + cause.getMessage().replace('/', '.') + " was not found by " + loader + ". "
                        + SAME_CLASSPATH_HINT, exception);
            }
        }
        return new ReductionException("Cannot load a value with reducer '" + reducer + "': the bytes are corrupt,"
                + " truncated or were made by another reducer (" + rootMessage(exception) + "). Parent and child"
                + " processes must use the same reducer and the same classpath.", exception);
    }

    /** A type name for messages; lambdas get a readable description instead of their hidden class name. */
    static String typeName(Class<?> type) {
        return SerializedLambdas.isLambda(type) ? SerializedLambdas.describe(type) : type.getName();
    }

    /** A short type name for field paths, e.g. "Task" or "Main$$Lambda". */
    static String shortName(String className) {
        String name = className;
        int lambda = name.indexOf("$$Lambda");
        if (lambda >= 0) {
            name = name.substring(0, lambda + "$$Lambda".length());
        }
        return name.substring(name.lastIndexOf('.') + 1);
    }

    static String rootMessage(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getName() : root.getClass().getSimpleName() + ": " + message;
    }
}
