package io.multiprocess.sharedmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named segments: create, attach (here and in a child JVM), errors, file modes, unlinking. */
class SharedMemoryTest {

    @TempDir
    Path dir;

    @Test
    void anAttachedSegmentSharesTheCreatorsBytesAndTheMappingIsReusedInOneJvm() {
        SharedMemory created = SharedMemory.create(null, 100);
        try {
            SharedMemory attached = SharedMemory.attach(created.name());
            created.buffer().putLong(8, 42);

            assertThat(created.name()).startsWith("mp-");
            assertThat(attached.size()).isEqualTo(100);
            assertThat(attached.buffer().getLong(8)).isEqualTo(42);
            assertThat(attached.mappedBuffer()).isSameAs(created.mappedBuffer());
            assertThat(SharedMemory.attach("/" + created.name()).buffer().getLong(8)).as("Python's leading slash")
                    .isEqualTo(42);
            attached.close();
            assertThat(attached.isClosed()).isTrue();
            assertThatThrownBy(attached::buffer).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThat(created.buffer().getLong(8)).as("the other handle is untouched").isEqualTo(42);
        } finally {
            created.unlink();
        }
    }

    @Test
    void segmentFilesArePrivateToTheUser() throws Exception {
        SharedMemory created = SharedMemory.create(null, 16);
        try {
            Path file = SharedMemory.directory().resolve(created.name());

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)))
                    .isEqualTo("rw-------");
        } finally {
            created.unlink();
        }
    }

    @Test
    void creatingAnExistingNameAndAttachingAMissingOneFailWithPythonsErrors() {
        SharedMemory created = SharedMemory.create(null, 16);
        String name = created.name();

        assertThatThrownBy(() -> SharedMemory.create(name, 16)).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("already exists")
                .hasMessageContaining("SharedMemory.attach");
        created.unlink();
        assertThatThrownBy(() -> SharedMemory.attach(name)).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(NoSuchFileException.class).hasMessageContaining("no shared memory segment named")
                .hasMessageContaining("SharedMemory.create");
        assertThatThrownBy(created::unlink).hasCauseInstanceOf(NoSuchFileException.class);
        assertThat(created.buffer().capacity()).as("an unlinked segment stays mapped").isEqualTo(16);
    }

    @Test
    void badNamesAndSizesAreRefused() {
        assertThatThrownBy(() -> SharedMemory.create("../etc/passwd", 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid shared memory segment name");
        assertThatThrownBy(() -> SharedMemory.attach(".hidden")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharedMemory.create(null, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive size");
    }

    @Test
    void aChildJvmAttachesByNameAndSeesAndChangesTheSameBytes() {
        SharedMemory created = SharedMemory.create(null, 64);
        String name = created.name();
        try {
            created.buffer().putInt(0, 7);
            MpProcess child = Multiprocess.getContext().process(() -> {
                SharedMemory attached = SharedMemory.attach(name);
                AtomicView.of(attached).getAndAddInt(0, 35);
            });
            child.start();

            assertThat(child.join(Duration.ofSeconds(60))).isTrue();
            assertThat(child.exitCode()).isZero();
            assertThat(AtomicView.of(created).getInt(0)).isEqualTo(42);
        } finally {
            created.unlink();
        }
    }

    @Test
    void aSegmentMarkedUnlinkOnExitIsGoneWhenItsCreatorExits() throws Exception {
        Path out = dir.resolve("name");
        String file = out.toString();
        MpProcess child = Multiprocess.getContext().process(() ->
                Files.writeString(Path.of(file), SharedMemory.create(null, 64).unlinkOnExit().name()));
        child.start();
        assertThat(child.join(Duration.ofSeconds(60))).isTrue();
        assertThat(child.exitCode()).isZero();

        String name = Files.readString(out);
        assertThat(SharedMemory.directory().resolve(name)).doesNotExist();
    }

    @Test
    void withoutAWritableShmSegmentsGoToAPrivateDirectoryUnderTmp() throws Exception {
        Path chosen = SegmentDirectory.choose(dir.resolve("no-shm"), dir);

        assertThat(chosen.getParent()).isEqualTo(dir);
        assertThat(chosen.getFileName().toString()).startsWith("multiprocess-shm-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(chosen))).isEqualTo("rwx------");
        assertThat(SegmentDirectory.choose(dir.resolve("no-shm"), dir)).as("chosen again").isEqualTo(chosen);

        Files.setPosixFilePermissions(chosen, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> SegmentDirectory.choose(dir.resolve("no-shm"), dir))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("chmod 700");
    }
}
