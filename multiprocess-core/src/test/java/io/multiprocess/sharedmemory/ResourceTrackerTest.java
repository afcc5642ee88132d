package io.multiprocess.sharedmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.internal.ProcessStart;
import io.multiprocess.sharedctypes.CType;
import io.multiprocess.sharedctypes.IntValue;
import io.multiprocess.synchronize.Lock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tracked segments of a SIGKILLed process are removed once it and its children have ended; untracked ones stay. */
class ResourceTrackerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final BaseContext ctx = Multiprocess.getContext();
    private MpProcess creator;

    @AfterEach
    void killCreator() {
        if (creator != null && creator.isAlive()) {
            creator.kill();
        }
        if (creator != null) {
            creator.join(PATIENCE);
        }
    }

    @Test
    void segmentsOfAKilledCreatorAreRemovedOnceItsChildrenHaveEnded() throws Exception {
        Path out = dir.resolve("names");
        String file = out.toString();
        creator = ctx.process(() -> {
            SharedMemory segment = SharedMemory.create(null, 64);
            Lock lock = Multiprocess.getContext().lock();
            IntValue value = Multiprocess.getContext().value(CType.INT, 1);
            MpProcess child = Multiprocess.getContext().process(() -> {
                sleep(600_000);                     // until its parent dies

            });
            child.start();
            String lockSegment = lock.toString().substring(5, lock.toString().indexOf(','));
            Files.writeString(Path.of(file + ".tmp"), segment.name() + " " + lockSegment + " "
                    + value.segmentName() + " " + child.pid());
            Files.move(Path.of(file + ".tmp"), Path.of(file));
            sleep(600_000);
        });
        creator.start();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!Files.exists(out)) {
            assertThat(System.nanoTime()).as("the creator wrote its segments' names").isLessThan(deadline);
            Thread.sleep(20);
        }
        String[] names = Files.readString(out).split(" ");
        long grandchild = Long.parseLong(names[3]);
        Path segment = SharedMemory.directory().resolve(names[0]);
        assertThat(segment).exists();

        creator.kill();
        assertThat(creator.join(PATIENCE)).isTrue();
        assertThat(creator.exitCode()).isEqualTo(-9);
        // Ended as the tracker sees it: gone or a zombie (an orphan nobody reaps in a container stays one).
        for (int checks = 0; ProcessStart.of(grandchild).isPresent(); checks++) {
            assertThat(checks).as("the child of the killed creator ended").isLessThan(3_000);
            Thread.sleep(20);
        }
        for (int i = 0; i < 3; i++) {
            Path file1 = SharedMemory.directory().resolve(names[i]);
            long until = System.nanoTime() + PATIENCE.toNanos();
            while (Files.exists(file1) && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(file1).as("segment %s of the killed creator", names[i]).doesNotExist();
        }
        assertThat(SharedMemory.directory().resolve(ResourceTracker.PREFIX + creator.pid() + "-0")).doesNotExist();
        try (var registries = Files.list(SharedMemory.directory())) {
            assertThat(registries.map(Path::getFileName).map(Path::toString))
                    .noneMatch(name -> name.startsWith(ResourceTracker.PREFIX + creator.pid() + "-"));
        }
    }

    @Test
    void anUntrackedSegmentOutlivesItsKilledCreatorAndATrackedOneDoesNot() throws Exception {
        Path out = dir.resolve("names");
        String file = out.toString();
        creator = ctx.process(() -> {
            String kept = SharedMemory.create(null, 64, false).name();
            String removed = SharedMemory.create(null, 64, true).name();
            Files.writeString(Path.of(file + ".tmp"), kept + " " + removed);
            Files.move(Path.of(file + ".tmp"), Path.of(file));
            sleep(600_000);
        });
        creator.start();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!Files.exists(out)) {
            assertThat(System.nanoTime()).as("the creator wrote its segments' names").isLessThan(deadline);
            Thread.sleep(20);
        }
        String[] names = Files.readString(out).split(" ");

        creator.kill();
        assertThat(creator.join(PATIENCE)).isTrue();
        Path removed = SharedMemory.directory().resolve(names[1]);
        long until = System.nanoTime() + PATIENCE.toNanos();
        while (Files.exists(removed) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        ResourceTracker.sweep();

        assertThat(removed).doesNotExist();
        assertThat(SharedMemory.directory().resolve(names[0])).exists();
        SharedMemory.attach(names[0]).unlink();
    }

    @Test
    void aSegmentUnlinkedByItsCreatorIsNotRemovedAgainAndTheRegistryGoesAtExit() throws Exception {
        Path out = dir.resolve("name");
        String file = out.toString();
        MpProcess child = ctx.process(() -> {
            SharedMemory segment = SharedMemory.create(null, 64);
            segment.unlink();
            Files.writeString(Path.of(file), segment.name() + " " + ProcessHandle.current().pid());
        });
        child.start();
        assertThat(child.join(PATIENCE)).isTrue();
        assertThat(child.exitCode()).isZero();
        String pid = Files.readString(out).split(" ")[1];
        try (var registries = Files.list(SharedMemory.directory())) {
            assertThat(registries.map(Path::getFileName).map(Path::toString))
                    .noneMatch(name -> name.startsWith(ResourceTracker.PREFIX + pid + "-"));
        }
    }

    /** The rule itself, with plain OS processes: a dead process's segments wait for its live children. */
    @Test
    void aDeadProcesssSegmentsWaitUntilEveryChildItRecordedHasEnded() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Process child = new ProcessBuilder("sleep", "600").start();
        try {
            SharedMemory segment = SharedMemory.create(null, 16, false);
            long childStart = ProcessStart.of(child.pid()).orElseThrow();
            Path registry = SharedMemory.directory().resolve(ResourceTracker.PREFIX + dead.pid() + "-7");
            // Written whole, then moved in place: a sweep of another JVM on this machine (the other test fork, a
            // child exiting) must never read it half-written, or it would take it for a registry without children.
            Path partial = Files.createTempFile(SharedMemory.directory(), "partial-", ".tmp");
            Files.writeString(partial, "segment " + segment.name() + "\nchild " + child.pid() + " " + childStart
                    + "\n");
            Files.move(partial, registry, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Path file = SharedMemory.directory().resolve(segment.name());

            ResourceTracker.sweep();
            assertThat(file).as("kept while the dead process's child runs").exists();
            assertThat(registry).exists();

            child.destroyForcibly().waitFor();
            ResourceTracker.sweep();
            assertThat(file).as("removed once the child has ended").doesNotExist();
            assertThat(registry).doesNotExist();
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
