package io.multiprocess.sharedmemory;

import io.multiprocess.internal.ExitSequence;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.ReductionException;
import io.multiprocess.reduction.SharedHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named block of memory that every process of the same user on this machine can map: Python's
 * {@code multiprocessing.shared_memory.SharedMemory}. One process creates it, others attach to it by name, and all
 * see the same bytes.
 *
 * <pre>{@code
 * SharedMemory segment = SharedMemory.create(null, 4096);      // a random name such as "mp-3f9c0a6d1b2e4f70"
 * segment.buffer().putLong(0, 42);
 * String name = segment.name();                                // send the name to another process, which does
 * SharedMemory same = SharedMemory.attach(name);               //   same.buffer().getLong(0) == 42
 * same.close();
 * segment.close();
 * segment.unlink();                                            // the name is gone; mappings stay valid until closed
 * }</pre>
 *
 * <p>A segment is a file mapped into memory: in {@code /dev/shm} when it exists and is writable (a tmpfs, so
 * nothing is written to a disk), else in a directory private to the user (mode 0700) under
 * {@code java.io.tmpdir}. Every segment file is created new (never reused) with mode 0600, so only the same user
 * can map it; {@link #attach} refuses a file owned by another user.
 *
 * <p>Within one JVM, attaching the same name again (or attaching a segment this JVM created) reuses the one
 * mapping. {@link #close()} ends this handle's use; the memory is unmapped once no handle in the JVM uses it (Java
 * 17 has no way to unmap at once, the garbage collector does it). {@link #unlink()} removes the name: processes
 * that have it mapped keep using it, new ones can no longer attach.
 *
 * <p>Filesystem failures are {@link UncheckedIOException}s whose cause says what happened, as Python's errors do:
 * {@link FileAlreadyExistsException} (Python's {@code FileExistsError}) when creating a name that exists,
 * {@link NoSuchFileException} ({@code FileNotFoundError}) when attaching to or unlinking a name that does not.
 *
 * <p>Segments are <b>tracked</b> unless created with {@code track} false (Python's {@code track} parameter): a
 * tracked segment is unlinked when the JVM that created it exits (normally or terminated by a signal), and if that
 * JVM is SIGKILLed or crashes, once it and the child JVMs it launched have all ended ({@link ResourceTracker}).
 *
 * <p><b>Sending one to another process.</b> A {@code SharedMemory} travels by its name, through every reducer
 * ({@code kryo}, {@code java}, {@code jackson}), as Python pickles one: captured by a process's lambda, as a field
 * of a process object or a pool task, or put on a queue or pipe. The receiving process {@linkplain #attach attaches}
 * to the segment by that name, so it maps the same bytes; it does not become an owner: the segment is not tracked
 * there, and that process's exit does not unlink it. The segment must still exist when the value arrives (its
 * creator still running, or created with {@code track} false), else loading the value fails naming the segment.
 *
 * <pre>{@code
 * SharedMemory segment = SharedMemory.create(null, 1024);
 * MpProcess child = ctx.process(() -> segment.buffer().put(0, (byte) 42));   // the child attaches by name
 * child.start();
 * child.join();
 * segment.buffer().get(0);   // 42
 * }</pre>
 *
 * Thread-safe.
 */
public final class SharedMemory implements AutoCloseable, SharedHandle {

    /** Names are file names: letters, digits, {@code . _ -}, not starting with a dot, at most 200 characters. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANDOM_NAME_ATTEMPTS = 16;
    /** The zeros a new segment's reservation writes, a chunk at a time; only read (through duplicates). */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024);

    /** This JVM's mappings by name; weak, so a segment no handle uses can be unmapped by the collector. */
    private static final Map<String, WeakReference<Mapping>> MAPPINGS = new HashMap<>();
    private static final Set<Path> UNLINK_AT_EXIT = new HashSet<>();
    private static boolean exitHookAdded;

    private final String name;
    private final Path path;
    private volatile Mapping mapping;

    private SharedMemory(String name, Path path, Mapping mapping) {
        this.name = name;
        this.path = path;
        this.mapping = mapping;
    }

    /**
     * Creates a new segment of {@code size} bytes, all zero, tracked: it is unlinked when this JVM exits, and if
     * this JVM is killed, once it and its children have all ended (see {@link ResourceTracker}). Python's
     * {@code SharedMemory(name, create=True, size=size)}.
     *
     * @param name the segment's name, or null for a new random one starting with {@code "mp-"}
     * @throws IllegalArgumentException if the name is not a valid file name or the size is not positive
     * @throws UncheckedIOException with a {@link FileAlreadyExistsException} cause if the name is taken
     */
    public static SharedMemory create(String name, int size) {
        return create(name, size, true);
    }

    /**
     * Creates a new segment of {@code size} bytes, all zero (Python's
     * {@code SharedMemory(name, create=True, size=size, track=track)}). With {@code track} false, nothing removes
     * it: it stays until some process calls {@link #unlink()} (or the machine restarts), so that processes that are
     * not children of this one can attach to it after this JVM has ended.
     *
     * @param name the segment's name, or null for a new random one starting with {@code "mp-"}
     * @param track whether it is unlinked when this JVM (and, if it is killed, its children) have ended
     * @throws IllegalArgumentException if the name is not a valid file name or the size is not positive
     * @throws UncheckedIOException with a {@link FileAlreadyExistsException} cause if the name is taken
     */
    public static SharedMemory create(String name, int size, boolean track) {
        if (size <= 0) {
            throw new IllegalArgumentException("a shared memory segment needs a positive size, got " + size);
        }
        if (name != null) {
            return createNamed(checkName(name), size, track);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return createNamed(randomName("mp-"), size, track);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof FileAlreadyExistsException) || attempt == RANDOM_NAME_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Attaches to the existing segment {@code name}, created by this or another process of the same user.
     *
     * @throws UncheckedIOException with a {@link NoSuchFileException} cause if there is no such segment
     */
    public static SharedMemory attach(String name) {
        name = checkName(name);
        Path path = SegmentDirectory.get().resolve(name);
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            synchronized (MAPPINGS) {
                Mapping cached = cached(name);
                if (cached != null && Objects.equals(cached.fileKey(), attributes.fileKey())) {
                    return new SharedMemory(name, path, cached);
                }
            }
            Mapping mapping = map(path, name, false, 0);
            synchronized (MAPPINGS) {
                MAPPINGS.put(name, new WeakReference<>(mapping));
            }
            return new SharedMemory(name, path, mapping);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("there is no shared memory segment named '" + name + "' (looked for "
                    + path + "): it was never created, or it was unlinked, for example because the process that"
                    + " created it exited; create it with SharedMemory.create, or attach while its creator still"
                    + " runs", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot attach to shared memory segment '" + name + "' at " + path + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A new random name with this prefix, for callers that create segments of their own kind (the lock
     * {@code "mp-lock-..."}); {@link #create} with a null name uses {@code "mp-"}.
     */
    public static String randomName(String prefix) {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return checkName(prefix + HexFormat.of().formatHex(bytes));
    }

    /** The directory segment files live in on this machine (for diagnostics: {@code ls} it to see segments). */
    public static Path directory() {
        return SegmentDirectory.get();
    }

    /** The name other processes attach with. */
    public String name() {
        return name;
    }

    /** The size in bytes. */
    public int size() {
        return open().buffer().capacity();
    }

    /**
     * A view of the segment's bytes: position 0, limit {@link #size()}, in the machine's native byte order (as
     * {@link AtomicView} and C or Python's {@code ctypes} read them). Each call returns a new view (its own position,
     * limit and order) of the same memory.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public ByteBuffer buffer() {
        return open().buffer().duplicate().order(ByteOrder.nativeOrder());
    }

    /** The mapped buffer itself, for {@link AtomicView}. */
    MappedByteBuffer mappedBuffer() {
        return open().buffer();
    }

    /** Whether {@link #close()} was called on this handle. */
    public boolean isClosed() {
        return mapping == null;
    }

    /**
     * Ends this handle's use of the segment; other handles (and other processes) are not affected. The memory is
     * unmapped once no handle in this JVM uses it. Closing twice does nothing.
     */
    @Override
    public void close() {
        mapping = null;
    }

    /**
     * Removes the segment's name, so no process can attach to it any more; processes that have it mapped keep using
     * it. Call it once, from one process, when the segment is no longer needed (Python's {@code unlink()}).
     *
     * @throws UncheckedIOException with a {@link NoSuchFileException} cause if it was already unlinked
     */
    public void unlink() {
        ResourceTracker.unlinking(path);
        try {
            Files.delete(path);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("shared memory segment '" + name + "' was already unlinked", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unlink shared memory segment '" + name + "' at " + path, e);
        } finally {
            synchronized (UNLINK_AT_EXIT) {
                UNLINK_AT_EXIT.remove(path);
            }
        }
    }

    /**
     * Unlinks this segment when this JVM exits (normally, by {@code System.exit}, or terminated by a signal that
     * runs shutdown hooks; not when it is SIGKILLed), unless it was unlinked before.
     *
     * @return this handle
     */
    public SharedMemory unlinkOnExit() {
        synchronized (UNLINK_AT_EXIT) {
            if (!exitHookAdded) {
                // After the pools drained: their workers may use the segments until then.
                ExitSequence.register(ExitSequence.Phase.FILES, "shared-memory", Duration.ofSeconds(1),
                        SharedMemory::unlinkAtExit);
                exitHookAdded = true;
            }
            UNLINK_AT_EXIT.add(path);
        }
        return this;
    }

    /** The travelling form: the name only, never the bytes; the receiver attaches (see the class comment). */
    @Override
    public HandleToken token() {
        return new Token(name);
    }

    @Override
    public String toString() {
        Mapping current = mapping;
        return "SharedMemory[" + name + (current == null ? ", closed" : ", " + current.buffer().capacity() + " bytes")
                + "]";
    }

    private Mapping open() {
        Mapping current = mapping;
        if (current == null) {
            throw new IllegalStateException("shared memory segment '" + name + "' is closed on this handle; attach"
                    + " again with SharedMemory.attach(\"" + name + "\")");
        }
        return current;
    }

    private static SharedMemory createNamed(String name, int size, boolean track) {
        Path path = SegmentDirectory.get().resolve(name);
        try {
            Mapping mapping = map(path, name, true, size);
            synchronized (MAPPINGS) {
                MAPPINGS.put(name, new WeakReference<>(mapping));
            }
            SharedMemory created = new SharedMemory(name, path, mapping);
            if (track) {
                ResourceTracker.created(path);
                created.unlinkOnExit();
            }
            return created;
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException("a shared memory segment named '" + name + "' already exists (" + path
                    + "); attach to it with SharedMemory.attach, or choose another name (null picks a new random"
                    + " one)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create shared memory segment '" + name + "' at " + path + ": "
                    + e.getMessage(), e);
        }
    }

    private static Mapping map(Path path, String name, boolean create, int size) throws IOException {
        Set<OpenOption> options = create
                ? Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)
                : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileAttribute<?>[] attributes = create && SegmentDirectory.isPosix()
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------"))}
                : new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(path, options, attributes)) {
            Integer owner = SegmentDirectory.ownerId(path);
            if (!create && owner != null && !owner.equals(SegmentDirectory.userId())) {
                throw new IOException("the file belongs to user id " + owner + ", not to this process's user; only"
                        + " segments of the same user are attached");
            }
            long length = create ? size : channel.size();
            if (length == 0) {
                throw new IOException("the segment is empty: its creator has not sized it yet, or it is not a"
                        + " segment");
            }
            if (length > Integer.MAX_VALUE) {
                throw new IOException("the segment has " + length + " bytes, more than a buffer can map");
            }
            if (create) {
                reserve(channel, path, length);
            }
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            Object fileKey = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            return new Mapping(name, buffer, fileKey);
        }
    }

    /**
     * Has the file system give a new segment all of its pages now, by writing its zeros, rather than on first
     * touch. On a full tmpfs a page first touched through a mapping is a SIGBUS, which takes the whole JVM down
     * (Python's shared_memory crashes the same way); a write here fails with "No space left on device" instead,
     * and the half-made file is deleted. The zeros would be written at the first touch of each page anyway; the
     * cost is that the segment holds all of its memory from the start (it is not sparse). Only "no room" (ENOSPC,
     * a quota) is reported as such; another failure, such as an interrupt, is passed on as it is.
     */
    private static void reserve(FileChannel channel, Path path, long length) throws IOException {
        ByteBuffer zeros = ZEROS.duplicate();
        try {
            for (long position = 0; position < length; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), length - position));
                position += channel.write(zeros, position);
            }
        } catch (IOException e) {
            Files.deleteIfExists(path);
            String reason = String.valueOf(e.getMessage());
            if (!reason.contains("No space left") && !reason.contains("quota")) {
                throw e;
            }
            throw new IOException("the file system of " + path.getParent() + " has no room for a segment of "
                    + length + " bytes (" + reason + "). Free room there (segments of ended programs, "
                    + "large files) or give it more (a container's --shm-size, mount -o remount,size=...); the "
                    + "half-made segment was deleted", e);
        }
    }

    private static Mapping cached(String name) {
        WeakReference<Mapping> reference = MAPPINGS.get(name);
        return reference == null ? null : reference.get();
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        String plain = name.startsWith("/") ? name.substring(1) : name;
        if (!NAME.matcher(plain).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid shared memory segment name: use"
                    + " letters, digits, '.', '_' and '-' (not starting with '.'), at most 200 characters");
        }
        return plain;
    }

    private static void unlinkAtExit() {
        synchronized (UNLINK_AT_EXIT) {
            for (Path path : UNLINK_AT_EXIT) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // Best effort at exit.
                }
            }
            UNLINK_AT_EXIT.clear();
        }
        ResourceTracker.exiting();
    }

    static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The travelling form of a {@link SharedMemory}: its name. */
    record Token(String segment) implements HandleToken {
        private static final long serialVersionUID = 1L;

        @Override
        public SharedHandle resolve() {
            try {
                return attach(segment);
            } catch (UncheckedIOException e) {
                // Said as what it is, not as corrupt bytes: the value was fine, the segment it names is gone.
                throw new ReductionException("a SharedMemory arrived by name, but this process cannot attach to it: "
                        + e.getMessage(), e);
            }
        }
    }

    /** One mapping of a segment file in this JVM, shared by every handle on it. */
    private record Mapping(String name, MappedByteBuffer buffer, Object fileKey) {
    }
}
