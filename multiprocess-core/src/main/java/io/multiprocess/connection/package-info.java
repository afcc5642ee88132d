/**
 * Connections between processes, as in Python's {@code multiprocessing.connection}: the public
 * {@link io.multiprocess.connection.Connection} (pipe ends and sockets), {@link io.multiprocess.connection.Listener}
 * and {@link io.multiprocess.connection.Client}, and {@link io.multiprocess.connection.Waitable#waitAny}; underneath,
 * the one wire format ({@link io.multiprocess.internal.transport.FrameChannel}) and the authkey challenge
 * ({@link io.multiprocess.internal.transport.Authentication}).
 */
package io.multiprocess.connection;
