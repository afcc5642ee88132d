package io.multiprocess.connection;

import io.multiprocess.errors.MultiprocessException;
import io.multiprocess.internal.transport.FrameChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@link Waitable#waitAny}: one wake-up signal shared by a one-shot action registered on every object. A wake-up
 * that finds nothing ready (another thread received the message first) waits again for the time left.
 */
final class WaitAny {

    private WaitAny() {
    }

    static <T extends Waitable> List<T> await(Collection<T> objects, Duration timeout) {
        List<T> ready = readyOnes(objects);
        if (!ready.isEmpty() || (objects.isEmpty() && timeout == null)
                || (timeout != null && (timeout.isZero() || timeout.isNegative()))) {
            return ready;
        }
        long deadline = FrameChannel.deadline(timeout);
        while (true) {
            Semaphore signal = new Semaphore(0);
            List<AutoCloseable> registrations = new ArrayList<>(objects.size());
            try {
                for (T object : objects) {
                    registrations.add(object.whenReady(signal::release));
                }
                if (deadline == Long.MAX_VALUE) {
                    signal.acquire();
                } else {
                    signal.tryAcquire(Math.max(0, FrameChannel.remaining(deadline)), TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MultiprocessException("interrupted while waiting for connections or processes", e);
            } finally {
                withdraw(registrations);
            }
            ready = readyOnes(objects);
            if (!ready.isEmpty() || FrameChannel.remaining(deadline) <= 0) {
                return ready;
            }
        }
    }

    private static void withdraw(List<AutoCloseable> registrations) {
        for (AutoCloseable registration : registrations) {
            try {
                registration.close();
            } catch (Exception e) {
                // Withdrawing a one-shot action cannot fail in a way the caller could act on.
            }
        }
    }

    private static <T extends Waitable> List<T> readyOnes(Collection<T> objects) {
        List<T> ready = new ArrayList<>();
        for (T object : objects) {
            if (object.isReady()) {
                ready.add(object);
            }
        }
        return ready;
    }
}
