/**
 * Memory shared by processes: {@link io.multiprocess.sharedmemory.SharedMemory}, a named segment (a memory-mapped
 * file in {@code /dev/shm}) that processes of the same user create and attach to by name, as Python's
 * {@code multiprocessing.shared_memory}; {@link io.multiprocess.sharedmemory.ShareableList}, a fixed-length list in
 * one; {@link io.multiprocess.sharedmemory.AtomicView}, atomic access to a segment's words; and
 * {@link io.multiprocess.sharedmemory.ResourceTracker}, which removes the tracked segments of a process that was
 * killed. The locks of {@code io.multiprocess.synchronize} and the values of {@code io.multiprocess.sharedctypes} are
 * built on them.
 */
package io.multiprocess.sharedmemory;
