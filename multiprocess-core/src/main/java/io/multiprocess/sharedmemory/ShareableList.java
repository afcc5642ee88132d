package io.multiprocess.sharedmemory;

import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.SharedHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A fixed-length list of numbers, booleans, strings, byte arrays and nulls in one {@link SharedMemory} segment, that
 * other processes attach to by name: Python's {@code multiprocessing.shared_memory.ShareableList}.
 *
 * <pre>{@code
 * ShareableList list = ShareableList.create(List.of(42L, 2.5, true, "howdy", new byte[] {1, 2}));
 * list.set(3, "hi");                         // fits: a string may shrink
 * list.set(3, "a much longer string");       // IllegalArgumentException: it may not grow beyond its slot
 * // in another process:
 * ShareableList same = ShareableList.attach(list.name());
 * long answer = (Long) same.get(0);
 * }</pre>
 *
 * <p>Python's rules: the length is fixed at creation; every slot holds any of the types, and a value may be replaced
 * by one of another type, but each slot has the room it was given at creation: 8 bytes for a number, boolean or
 * null, and for a string (UTF-8) or byte array its length rounded up to the next multiple of 8 (at least 8 more than
 * nothing: Python's {@code 8 * (len // 8 + 1)}). A string or byte array longer than its slot is refused. Negative
 * indexes count from the end, as in Python.
 *
 * <p>Values are {@link Long} (an {@link Integer}, {@link Short} or {@link Byte} is stored as a long), {@link Double}
 * (a {@link Float} as a double), {@link Boolean}, {@link String}, {@code byte[]} and null. Unlike Python's, a byte
 * array keeps its trailing zero bytes. The layout is this library's own, not Python's (a JVM and a Python process
 * cannot share the list). There is no lock (as in Python): a slot written by one process while another reads it can
 * be read half-written; guard such use with a {@link io.multiprocess.synchronize.Lock}.
 *
 * <p>The segment is tracked (see {@link SharedMemory#create(String, int)}): it is unlinked when the creating JVM
 * ends, unless created with {@code track} false. It travels to other processes as a token (its name) through every
 * reducer, or attach to it by name.
 */
public final class ShareableList implements SharedHandle {

    private static final long MAGIC = 0x4D50_534C_0000_0001L; // "MPSL", version 1
    private static final int COUNT = 8;
    private static final int TABLE = 16;
    private static final int SLOT = 16;
    private static final int ALIGNMENT = 8;

    private static final int NULL = 0;
    private static final int LONG = 1;
    private static final int DOUBLE = 2;
    private static final int BOOLEAN = 3;
    private static final int STRING = 4;
    private static final int BYTES = 5;

    private final SharedMemory memory;
    private final AtomicView words;
    private final int size;

    private ShareableList(SharedMemory memory) {
        this.memory = memory;
        this.words = AtomicView.of(memory);
        this.size = (int) words.getLong(COUNT);
    }

    /** A new list holding {@code items}, in a tracked segment with a random name. */
    public static ShareableList create(List<?> items) {
        return create(null, items, true);
    }

    /**
     * A new list holding {@code items} in a segment named {@code name} (null: a random name).
     *
     * @param track whether the segment is unlinked when this JVM has ended (see {@link SharedMemory})
     * @throws IllegalArgumentException if an item is not a number, boolean, string, byte array or null
     * @throws java.io.UncheckedIOException with a {@link java.nio.file.FileAlreadyExistsException} cause if the name
     *     is taken
     */
    public static ShareableList create(String name, List<?> items, boolean track) {
        List<Object> values = new ArrayList<>(items.size());
        int[] room = new int[items.size()];
        long bytes = TABLE + (long) SLOT * items.size();
        for (int i = 0; i < room.length; i++) {
            Object value = normalize(items.get(i), i);
            values.add(value);
            room[i] = value instanceof String || value instanceof byte[]
                    ? ALIGNMENT * (encode(value).length / ALIGNMENT + 1) : ALIGNMENT;
            bytes += room[i];
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a ShareableList of " + bytes + " bytes is more than a segment can map");
        }
        SharedMemory memory = SharedMemory.create(name, (int) bytes, track);
        AtomicView words = AtomicView.of(memory);
        words.setLong(COUNT, values.size());
        int offset = TABLE + SLOT * values.size();
        for (int i = 0; i < room.length; i++) {
            int slot = TABLE + SLOT * i;
            words.setInt(slot + 4, room[i]);
            words.setInt(slot + 8, offset);
            offset += room[i];
        }
        ShareableList list = new ShareableList(memory);
        for (int i = 0; i < room.length; i++) {
            list.write(i, values.get(i));
        }
        words.setLong(0, MAGIC);
        return list;
    }

    /**
     * The list in the existing segment {@code name} (Python's {@code ShareableList(name=name)}).
     *
     * @throws java.io.UncheckedIOException with a {@link java.nio.file.NoSuchFileException} cause if there is none
     * @throws IllegalStateException if the segment does not hold a ShareableList
     */
    public static ShareableList attach(String name) {
        SharedMemory memory = SharedMemory.attach(name);
        if (memory.size() < TABLE || AtomicView.of(memory).getLong(0) != MAGIC) {
            throw new IllegalStateException("shared memory segment '" + memory.name() + "' does not hold a"
                    + " ShareableList (or its creator has not finished filling it)");
        }
        return new ShareableList(memory);
    }

    /** Item {@code index} (negative: from the end): a Long, Double, Boolean, String, byte[] or null. */
    public Object get(int index) {
        int slot = slot(index);
        int type = words.getInt(slot);
        int at = words.getInt(slot + 8);
        ByteBuffer buffer = memory.buffer();
        return switch (type) {
            case LONG -> buffer.getLong(at);
            case DOUBLE -> buffer.getDouble(at);
            case BOOLEAN -> buffer.get(at) != 0;
            case STRING, BYTES -> {
                byte[] content = new byte[words.getInt(slot + 12)];
                buffer.get(at, content);
                yield type == STRING ? new String(content, StandardCharsets.UTF_8) : content;
            }
            default -> null;
        };
    }

    /**
     * Replaces item {@code index} (negative: from the end).
     *
     * @throws IllegalArgumentException if {@code value} is not a number, boolean, string, byte array or null, or is
     *     a string or byte array longer than the slot (Python's "exceeds available storage")
     * @throws IndexOutOfBoundsException if there is no such item
     */
    public void set(int index, Object value) {
        int i = position(index);
        write(i, normalize(value, i));
    }

    /** The number of items (Python's {@code len()}); fixed. */
    public int size() {
        return size;
    }

    /** How many items equal {@code value} (byte arrays by content). */
    public int count(Object value) {
        Object wanted = normalizeOrSelf(value);
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (same(get(i), wanted)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The position of the first item equal to {@code value} (byte arrays by content).
     *
     * @throws NoSuchElementException if there is none (Python's {@code ValueError})
     */
    public int index(Object value) {
        Object wanted = normalizeOrSelf(value);
        for (int i = 0; i < size; i++) {
            if (same(get(i), wanted)) {
                return i;
            }
        }
        throw new NoSuchElementException(describe(value) + " is not in " + this);
    }

    /** A copy of the items, as a Java list. */
    public List<Object> toList() {
        List<Object> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            items.add(get(i));
        }
        return items;
    }

    /** The segment it lives in (Python's {@code shm}); close or unlink it through this. */
    public SharedMemory shm() {
        return memory;
    }

    /** The segment's name, to attach from another process. */
    public String name() {
        return memory.name();
    }

    @Override
    public HandleToken token() {
        return new Token(memory.name());
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ShareableList[");
        for (int i = 0; i < size; i++) {
            text.append(i == 0 ? "" : ", ").append(describe(get(i)));
        }
        return text.append("], name='").append(memory.name()).append("'").toString();
    }

    private void write(int i, Object value) {
        int slot = TABLE + SLOT * i;
        int at = words.getInt(slot + 8);
        int room = words.getInt(slot + 4);
        ByteBuffer buffer = memory.buffer();
        if (value instanceof Long number) {
            buffer.putLong(at, number);
            words.setInt(slot, LONG);
        } else if (value instanceof Double number) {
            buffer.putDouble(at, number);
            words.setInt(slot, DOUBLE);
        } else if (value instanceof Boolean flag) {
            buffer.put(at, (byte) (flag ? 1 : 0));
            words.setInt(slot, BOOLEAN);
        } else if (value == null) {
            words.setInt(slot, NULL);
        } else {
            byte[] content = encode(value);
            if (content.length > room) {
                throw new IllegalArgumentException("bytes/str item exceeds available storage: item " + i + " has room"
                        + " for " + room + " bytes (fixed when the list was created), " + describe(value) + " needs "
                        + content.length);
            }
            buffer.put(at, content);
            words.setInt(slot + 12, content.length);
            words.setInt(slot, value instanceof String ? STRING : BYTES);
        }
    }

    private int position(int index) {
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for a ShareableList of "
                    + size + " items");
        }
        return i;
    }

    private int slot(int index) {
        return TABLE + SLOT * position(index);
    }

    private static byte[] encode(Object value) {
        return value instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) value;
    }

    private static Object normalize(Object value, int i) {
        if (value == null || value instanceof Long || value instanceof Double || value instanceof Boolean
                || value instanceof String) {
            return value;
        }
        if (value instanceof byte[] content) {
            return content.clone();
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float number) {
            return number.doubleValue();
        }
        throw new IllegalArgumentException("a ShareableList holds numbers (long, double), booleans, strings, byte"
                + " arrays and null; item " + i + " is a " + value.getClass().getName());
    }

    private static Object normalizeOrSelf(Object value) {
        try {
            return normalize(value, 0);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static boolean same(Object item, Object wanted) {
        if (item instanceof byte[] a && wanted instanceof byte[] b) {
            return Arrays.equals(a, b);
        }
        return item == null ? wanted == null : item.equals(wanted);
    }

    private static String describe(Object value) {
        if (value instanceof String text) {
            return "'" + text + "'";
        }
        return value instanceof byte[] content ? "b" + Arrays.toString(content) : String.valueOf(value);
    }

    /** The travelling form of a {@link ShareableList}: its segment's name. */
    record Token(String segment) implements HandleToken {
        private static final long serialVersionUID = 1L;

        @Override
        public SharedHandle resolve() {
            return attach(segment);
        }
    }
}
