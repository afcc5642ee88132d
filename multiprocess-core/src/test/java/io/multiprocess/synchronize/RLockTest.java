package io.multiprocess.synchronize;

import static io.multiprocess.synchronize.Children.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.Multiprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** RLock: re-entrant for its owner thread, owned per process and thread. */
class RLockTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final Children children = new Children();

    private final BaseContext ctx = Multiprocess.getContext();

    @Test
    void theOwnerThreadAcquiresAgainAndItIsFreeAfterAsManyReleases() throws Exception {
        RLock lock = ctx.rlock();
        lock.acquire();
        assertThat(lock.tryAcquire()).isTrue();
        try (Held third = lock.hold()) {
            assertThat(lock.holdCount()).isEqualTo(3);
        }
        assertThat(lock.holdCount()).isEqualTo(2);
        assertThat(Children.inThread(lock::tryAcquire).get()).as("another thread").isFalse();

        lock.release();
        assertThat(lock.isLocked()).isTrue();
        lock.release();

        assertThat(lock.isLocked()).isFalse();
        assertThat(lock.holdCount()).isZero();
        assertThat(Children.inThread(() -> {
            boolean got = lock.tryAcquire();
            lock.release();
            return got;
        }).get()).isTrue();
    }

    @Test
    void aThreadThatDoesNotOwnItCannotReleaseIt() throws Exception {
        RLock lock = ctx.rlock();
        assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot release un-acquired lock");
        lock.acquire();

        Throwable fromOtherThread = Children.inThread(() -> {
            lock.release();
            return null;
        }).handle((ok, e) -> e).get();

        assertThat(fromOtherThread).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only the thread that acquired an RLock may release it");
        assertThat(lock.holdCount()).isEqualTo(1);
        lock.release();
    }

    /** A child's main thread may have the same thread id as ours; the pid tells them apart. */
    @Test
    void anotherProcessNeitherAcquiresNorReleasesWhatThisThreadHolds() throws Exception {
        RLock lock = ctx.rlock();
        lock.acquire();
        String out = dir.resolve("out").toString();
        children.start(() -> {
            boolean acquired = lock.tryAcquire();
            String release;
            try {
                lock.release();
                release = "released";
            } catch (IllegalStateException e) {
                release = "refused";
            }
            Files.writeString(Path.of(out), acquired + " " + release + " " + lock.holdCount());
        });
        children.joinAllSucceeded();

        assertThat(Files.readString(Path.of(out))).isEqualTo("false refused 0");
        assertThat(lock.holdCount()).isEqualTo(1);
        lock.release();
    }

    @Test
    void anRLockHeldInAChildIsReentrantThereAndFreeWhenItExitsReleased() throws Exception {
        RLock lock = ctx.rlock();
        Event held = ctx.event();
        Event done = ctx.event();
        children.start(() -> {
            lock.acquire();
            lock.acquire();
            held.set();
            done.await(PATIENCE);
            lock.release();
            lock.release();
        });
        assertThat(held.await(PATIENCE)).isTrue();
        assertThat(lock.tryAcquire()).isFalse();
        done.set();

        assertThat(lock.acquire(PATIENCE)).isTrue();
        assertThat(lock.holdCount()).isEqualTo(1);
        lock.release();
        children.joinAllSucceeded();
    }
}
