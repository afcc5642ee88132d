/**
 * Launching child JVMs and talking to them: the command line ({@code JvmCommand}), the parent's handle on a
 * child ({@link io.multiprocess.internal.launch.ChildJvm}), the socket children call back on
 * ({@link io.multiprocess.internal.launch.ControlServer}), one starter per start method ({@code SpawnStarter},
 * {@code ForkServerStarter}), and the child's end of the channel ({@link io.multiprocess.internal.launch.ChildChannel}).
 * Internal: applications use {@link io.multiprocess.MpProcess} and the context instead.
 */
package io.multiprocess.internal.launch;

