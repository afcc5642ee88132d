package io.multiprocess.internal.launch;

/**
 * Marks this JVM as one of the library's service processes that, though daemonic, may start children: a manager
 * server holding a pool. Such a process is still ended when its parent exits, and its children end with it (their
 * control channel closes, and it stops its daemonic children when it exits), so no JVM outlives the application.
 * Internal: applications cannot lift the rule that daemonic processes have no children.
 */
public final class ServiceProcess {

    private static volatile boolean childrenAllowed;

    private ServiceProcess() {
    }

    /** Lets this process start children although it is daemonic. */
    public static void allowChildren() {
        childrenAllowed = true;
    }

    /** Whether {@link #allowChildren()} was called in this JVM. */
    public static boolean childrenAllowed() {
        return childrenAllowed;
    }
}
