package io.multiprocess.connection;

import io.multiprocess.MultiprocessException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** {@link Waitable#waitAny}: one wake-up signal shared by a one-shot action registered on every object. */
final class WaitAny {

    private WaitAny() {
    }

    static <T extends Waitable> List<T> await(Collection<T> objects, Duration timeout) {
        List<T> ready = readyOnes(objects);
        if (!ready.isEmpty() || (timeout != null && timeout.isZero()) || objects.isEmpty() && timeout == null) {
            return ready;
        }
        Semaphore signal = new Semaphore(0);
        List<AutoCloseable> registrations = new ArrayList<>(objects.size());
        try {
            for (T object : objects) {
                registrations.add(object.whenReady(signal::release));
            }
            if (timeout == null) {
                signal.acquire();
            } else {
                signal.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
            return readyOnes(objects);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MultiprocessException("interrupted while waiting for connections or processes", e);
        } finally {
            for (AutoCloseable registration : registrations) {
                try {
                    registration.close();
                } catch (Exception e) {
                    // Withdrawing a one-shot action cannot fail in a way the caller could act on.
                }
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
