/**
 * Memory shared by processes: {@link io.multiprocess.sharedmemory.SharedMemory}, a named segment (a memory-mapped
 * file in {@code /dev/shm}) that processes of the same user create and attach to by name, as Python's
 * {@code multiprocessing.shared_memory}; and {@link io.multiprocess.sharedmemory.AtomicView}, atomic access to its
 * words. The locks, semaphores and events of {@code io.multiprocess.synchronize} are built on them.
 */
package io.multiprocess.sharedmemory;
