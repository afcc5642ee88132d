package io.multiprocess.diagnostics;

/**
 * One child JVM this JVM launched and has not seen exit: a process's, a pool worker's, or an idle forkserver spare.
 *
 * @param pid the child's process id
 * @param ready whether it has connected back, authenticated and is ready for (or running) its work
 * @param idleSpare whether it is a forkserver spare that was never given a process
 */
public record ChildJvmInfo(long pid, boolean ready, boolean idleSpare) {
}
