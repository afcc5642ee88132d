package io.multiprocess.synchronize;

import static io.multiprocess.synchronize.Children.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.BaseContext;
import io.multiprocess.Multiprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Event across child JVMs. */
class EventTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final Children children = new Children();

    private final BaseContext ctx = Multiprocess.getContext();

    @Test
    void setClearAndTimedAwait() {
        Event event = ctx.event();
        assertThat(event.isSet()).isFalse();
        long started = System.nanoTime();
        assertThat(event.await(Duration.ofMillis(200))).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());

        event.set();
        event.set();
        assertThat(event.isSet()).isTrue();
        assertThat(event.await(Duration.ZERO)).isTrue();
        event.await();

        event.clear();
        assertThat(event.isSet()).isFalse();
        assertThat(event.await(Duration.ZERO)).isFalse();
    }

    @Test
    void aSetInOneProcessWakesWaitersInThreeOthers() throws Exception {
        Event go = ctx.event();
        Semaphore started = ctx.semaphore(0);
        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path out = dir.resolve("out-" + i);
            outs.add(out);
            String file = out.toString();
            children.start(() -> {
                started.release();
                Files.writeString(Path.of(file), Boolean.toString(go.await(PATIENCE)));
            });
        }
        for (int i = 0; i < 3; i++) {
            assertThat(started.acquire(PATIENCE)).isTrue();
        }

        go.set();
        children.joinAllSucceeded();

        for (Path out : outs) {
            assertThat(out).hasContent("true");
        }
    }

    @Test
    void aClearInAChildIsSeenByTheParent() {
        Event event = ctx.event();
        event.set();
        children.start(event::clear);
        children.joinAllSucceeded();

        assertThat(event.isSet()).isFalse();
    }

    @Test
    void aWaiterSeesASetEvenIfClearFollowsAtOnce() throws Exception {
        Event event = ctx.event();
        List<Boolean> result = new CopyOnWriteArrayList<>();
        Thread waiter = Children.startWaiting(() -> result.add(event.await(PATIENCE)));

        event.set();
        event.clear();
        waiter.join(PATIENCE.toMillis());

        assertThat(result).containsExactly(true);
    }
}
