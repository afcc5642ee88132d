package io.multiprocess.managers;

import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.synchronize.Acquirable;
import io.multiprocess.synchronize.BarrierBrokenException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The synchronization objects a manager holds, in the server. Most are not owned by a thread: the server serves a
 * process's calls on whichever connection is free, so a lock acquired in one call is released by another, as
 * Python's {@code threading.Lock} allows. {@link RLockObject} and {@link ConditionObject} are owned: their proxies
 * call over one connection per calling thread (see {@link Endpoint#callPinned}), served by one server thread, which
 * is the owner the server's {@link ReentrantLock} sees.
 */
final class SyncObjects {

    private SyncObjects() {
    }

    /** A lock ({@code bound} 1, named "lock"), a semaphore (no bound) or a bounded semaphore. */
    static final class SemaphoreObject implements Acquirable {
        private final java.util.concurrent.Semaphore permits;
        private final int bound;
        private final String kind;

        SemaphoreObject(int value, int bound, String kind) {
            if (value < 0) {
                throw new IllegalArgumentException("a semaphore's value must not be negative: " + value);
            }
            this.permits = new java.util.concurrent.Semaphore(value, true);
            this.bound = bound;
            this.kind = kind;
        }

        @Override
        public void acquire() {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MultiprocessException("the manager was shut down while a " + kind + " was being acquired");
            }
        }

        @Override
        public boolean acquire(Duration timeout) {
            try {
                return permits.tryAcquire(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MultiprocessException("the manager was shut down while a " + kind + " was being acquired");
            }
        }

        @Override
        public boolean tryAcquire() {
            return permits.tryAcquire();
        }

        @Override
        public synchronized void release() {
            if (bound > 0 && permits.availablePermits() >= bound) {
                throw new IllegalStateException(kind.equals("lock") ? "release of an unlocked lock"
                        : "a bounded semaphore released too many times (its value is at its bound, " + bound + ")");
            }
            permits.release();
        }

        @Override
        public String toString() {
            return kind + "(value=" + permits.availablePermits() + ")";
        }
    }

    /** An object whose lock is owned by a server thread, each serving one calling thread's connection. */
    interface ThreadOwned {

        /** Releases every hold the current thread has: its connection closed, so its caller is gone. */
        void releaseHeldByCurrentThread();
    }

    /** A reentrant lock (Python's {@code manager.RLock()}): only the thread that acquired it may release it. */
    static final class RLockObject implements Acquirable, ThreadOwned {
        final ReentrantLock lock = new ReentrantLock(true);

        @Override
        public void acquire() {
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MultiprocessException("the manager was shut down while an rlock was being acquired");
            }
        }

        @Override
        public boolean acquire(Duration timeout) {
            try {
                return lock.tryLock(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MultiprocessException("the manager was shut down while an rlock was being acquired");
            }
        }

        @Override
        public boolean tryAcquire() {
            return lock.tryLock();
        }

        @Override
        public void release() {
            if (!lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("cannot release un-acquired lock: this rlock is not held by the "
                        + "calling thread; only the thread that acquired an RLock may release it");
            }
            lock.unlock();
        }

        @Override
        public void releaseHeldByCurrentThread() {
            while (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return "RLock(" + (lock.isLocked() ? "locked, count " + lock.getHoldCount() + " by the caller"
                    : "unlocked") + ")";
        }
    }

    /** A condition over an rlock of its own or one given (Python's {@code manager.Condition(lock)}). */
    static final class ConditionObject implements ConditionProxy, ThreadOwned {
        private final RLockObject lock;
        private final java.util.concurrent.locks.Condition condition;

        ConditionObject(RLockObject lock) {
            this.lock = lock;
            this.condition = lock.lock.newCondition();
        }

        @Override
        public void acquire() {
            lock.acquire();
        }

        @Override
        public boolean acquire(Duration timeout) {
            return lock.acquire(timeout);
        }

        @Override
        public boolean tryAcquire() {
            return lock.tryAcquire();
        }

        @Override
        public void release() {
            lock.release();
        }

        @Override
        public void await() {
            requireHeld("wait");
            try {
                condition.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MultiprocessException("the manager was shut down while a condition was awaited");
            }
        }

        @Override
        public boolean await(Duration timeout) {
            requireHeld("wait");
            try {
                return condition.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MultiprocessException("the manager was shut down while a condition was awaited");
            }
        }

        @Override
        public void signal() {
            signal(1);
        }

        @Override
        public void signal(int n) {
            requireHeld("notify");
            int waiting = lock.lock.getWaitQueueLength(condition);
            for (int i = 0; i < Math.min(n, waiting); i++) {
                condition.signal();
            }
        }

        @Override
        public void signalAll() {
            requireHeld("notify");
            condition.signalAll();
        }

        private void requireHeld(String what) {
            if (!lock.lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("cannot " + what + " on un-acquired lock: the calling thread does "
                        + "not hold this condition's lock; call acquire() or hold() first");
            }
        }

        @Override
        public void releaseHeldByCurrentThread() {
            lock.releaseHeldByCurrentThread();
        }

        @Override
        public String toString() {
            return "Condition(" + lock + ")";
        }
    }

    static final class EventObject implements EventProxy {
        private boolean flag;

        @Override
        public synchronized boolean isSet() {
            return flag;
        }

        @Override
        public synchronized void set() {
            flag = true;
            notifyAll();
        }

        @Override
        public synchronized void clear() {
            flag = false;
        }

        @Override
        public synchronized void await() {
            while (!flag) {
                waitInterruptibly(0);
            }
        }

        @Override
        public synchronized boolean await(Duration timeout) {
            long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
            while (!flag) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                waitInterruptibly(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        }

        private void waitInterruptibly(long millis) {
            try {
                wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MultiprocessException("the manager was shut down while an event was awaited");
            }
        }

        @Override
        public synchronized String toString() {
            return "Event(" + (flag ? "set" : "unset") + ")";
        }
    }

    static final class BarrierObject implements BarrierProxy {
        private final CyclicBarrier barrier;
        private volatile boolean aborted;

        BarrierObject(int parties) {
            if (parties < 1) {
                throw new IllegalArgumentException("a barrier needs at least 1 party, got " + parties);
            }
            this.barrier = new CyclicBarrier(parties);
        }

        @Override
        public int await() {
            checkNotAborted();
            try {
                return barrier.await();
            } catch (BrokenBarrierException e) {
                throw new BarrierBrokenException("the barrier is broken (reset, aborted, or a waiter timed out)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MultiprocessException("the manager was shut down while a barrier was awaited");
            }
        }

        @Override
        public int await(Duration timeout) {
            checkNotAborted();
            try {
                return barrier.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
            } catch (BrokenBarrierException | TimeoutException e) {
                throw new BarrierBrokenException("the barrier is broken (" + (e instanceof TimeoutException
                        ? "this wait timed out after " + timeout.toMillis() + " ms" : "reset, aborted, or a waiter "
                        + "timed out") + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MultiprocessException("the manager was shut down while a barrier was awaited");
            }
        }

        @Override
        public void reset() {
            aborted = false;
            barrier.reset();
        }

        @Override
        public void abort() {
            aborted = true;
            barrier.reset();
        }

        private void checkNotAborted() {
            if (aborted) {
                throw new BarrierBrokenException("the barrier was aborted; reset() makes it usable again");
            }
        }

        @Override
        public int parties() {
            return barrier.getParties();
        }

        @Override
        public int numberWaiting() {
            return barrier.getNumberWaiting();
        }

        @Override
        public boolean isBroken() {
            return aborted || barrier.isBroken();
        }
    }

    static final class ValueObject<T> implements ValueProxy<T> {
        private T value;

        ValueObject(T value) {
            this.value = value;
        }

        @Override
        public synchronized T get() {
            return value;
        }

        @Override
        public synchronized void set(T value) {
            this.value = value;
        }

        @Override
        public synchronized T getAndSet(T value) {
            T previous = this.value;
            this.value = value;
            return previous;
        }

        @Override
        public synchronized boolean compareAndSet(T expected, T update) {
            if (!Objects.equals(value, expected)) {
                return false;
            }
            value = update;
            return true;
        }

        @Override
        public synchronized String toString() {
            return "Value(" + value + ")";
        }
    }
}
