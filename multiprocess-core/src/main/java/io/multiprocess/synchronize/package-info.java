/**
 * Synchronization across processes, as Python's {@code multiprocessing.synchronize}: {@link
 * io.multiprocess.synchronize.Lock}, {@link io.multiprocess.synchronize.RLock}, {@link
 * io.multiprocess.synchronize.Semaphore}, {@link io.multiprocess.synchronize.BoundedSemaphore}, {@link
 * io.multiprocess.synchronize.Condition}, {@link io.multiprocess.synchronize.Event} and {@link
 * io.multiprocess.synchronize.Barrier}, created by a context ({@code ctx.lock()}, ...).
 *
 * <p>Each lives in a small {@link io.multiprocess.sharedmemory.SharedMemory} segment and is changed with
 * compare-and-set instructions, so an uncontended acquire or release costs tens of nanoseconds and involves no
 * other process. Waiters poll with a backoff (see {@code Backoff}). A lock or semaphore whose holder process dies
 * is released, and waiters learn it through {@link io.multiprocess.synchronize.OwnerDiedException}. They travel to
 * other processes as tokens (segment names) through every reducer. See docs/synchronization.md.
 */
package io.multiprocess.synchronize;
