/**
 * The transport: framed messages over sockets ({@link io.multiprocess.connection.Connection}) and the authkey
 * challenge ({@link io.multiprocess.connection.Authentication}). Every byte that crosses a process boundary
 * travels through a {@code Connection}.
 */
package io.multiprocess.connection;
