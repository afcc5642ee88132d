package io.multiprocess.function;

import java.io.Serializable;

/**
 * A task without a result that can be sent to a child process. A lambda at the call site is enough:
 *
 * <pre>{@code
 * int n = 42;
 * ctx.process(() -> System.out.println("child got " + n)).start();
 * }</pre>
 *
 * It may throw checked exceptions; in a child process an uncaught one ends the process with exit code 1.
 */
@FunctionalInterface
public interface SerializableRunnable extends Serializable {

    void run() throws Exception;
}
