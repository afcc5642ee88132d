package io.multiprocess.reduction;

import java.util.ArrayList;
import java.util.List;

/** Builds the {@link ReductionException} messages all reducers share, so users see one format. */
final class ReductionFailures {

    static final String SAME_CLASSPATH_HINT =
            "Parent and child processes must run the same classpath (same classes, same versions).";
    static final String TOO_DEEP_HINT = "The value is nested too deeply (for example a chain of objects each "
            + "holding the next, or lists within lists): make it flatter, such as a list or an array of the "
            + "elements; a larger thread stack (-Xss) only moves the limit.";
    private static final int PATH_END = 5;

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
            message.append(" (field path: ").append(String.join(" -> ", shortened(fieldPath))).append(')');
        }
        message.append(": ").append(cause);
        if (!cause.endsWith(".")) {
            message.append('.');
        }
        String advice = tooDeep(exception) ? TOO_DEEP_HINT : hint;
        if (!advice.isEmpty()) {
            message.append(' ').append(advice);
        }
        return new ReductionException(message.toString(), exception);
    }

    /** Whether {@code exception} says the value was too deep: a StackOverflowError anywhere in its causes. */
    static boolean tooDeep(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof StackOverflowError) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** A path too deep to read (a value that overflowed the stack has one step per level) keeps its two ends. */
    private static List<String> shortened(List<String> fieldPath) {
        if (fieldPath.size() <= 2 * PATH_END) {
            return fieldPath;
        }
        List<String> shown = new ArrayList<>(fieldPath.subList(0, PATH_END));
        shown.add("... " + (fieldPath.size() - 2 * PATH_END) + " more ...");
        shown.addAll(fieldPath.subList(fieldPath.size() - PATH_END, fieldPath.size()));
        return shown;
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
        if (tooDeep(exception)) {
            return new ReductionException("Cannot load a value with reducer '" + reducer + "': it is nested too "
                    + "deeply for this thread's stack (" + rootMessage(exception) + "). " + TOO_DEEP_HINT, exception);
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
