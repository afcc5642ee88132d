/**
 * Queues shared by processes, as in Python's {@code multiprocessing.queues}: {@link io.multiprocess.queues.MpQueue},
 * {@link io.multiprocess.queues.JoinableQueue} and {@link io.multiprocess.queues.SimpleQueue}. Each is hosted by
 * the process that created it (see {@code io.multiprocess.internal.hosting}).
 */
package io.multiprocess.queues;
