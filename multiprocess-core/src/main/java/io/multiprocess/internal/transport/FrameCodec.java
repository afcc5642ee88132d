package io.multiprocess.internal.transport;

import io.multiprocess.errors.MalformedFrameException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How every message of the library's own channels is laid out, in one place: a type byte (see {@link FrameTypes}),
 * then fixed fields in order (bytes, booleans, ints, longs, and length-prefixed UTF-8 strings, byte arrays and string
 * lists), then, optionally, the rest of the message as a payload. Big-endian, as {@link java.io.DataOutputStream}.
 *
 * <pre>{@code
 * byte[] frame = FrameCodec.frame(FrameTypes.Pool.TASK, 8 + payload.length).putLong(batchId).putRest(payload)
 *         .toBytes();
 * FrameCodec.Reader reader = FrameCodec.read(frame);        // reader.type() == FrameTypes.Pool.TASK
 * long batchId = reader.getLong();
 * byte[] payload = reader.rest();
 * }</pre>
 *
 * A reader checks every length it reads against the bytes left, so a message that lies about a length fails with
 * a {@link MalformedFrameException} instead of allocating what it claims.
 */
public final class FrameCodec {

    private FrameCodec() {
    }

    /** A frame of {@code type}; {@code sizeHint} (the bytes after the type) avoids copies when exact. */
    public static Writer frame(byte type, int sizeHint) {
        return new Writer(type, sizeHint);
    }

    /** A frame of {@code type} with no fields. */
    public static byte[] bare(byte type) {
        return new byte[] {type};
    }

    /** Reads {@code frame}, whose first byte is its type. */
    public static Reader read(byte[] frame) throws IOException {
        if (frame.length == 0) {
            throw new MalformedFrameException("an empty message where a frame was expected");
        }
        return new Reader(frame);
    }

    /** Writes one frame's fields in order. */
    public static final class Writer {
        private ByteBuffer buffer;

        private Writer(byte type, int sizeHint) {
            buffer = ByteBuffer.allocate(1 + Math.max(0, sizeHint));
            buffer.put(type);
        }

        private Writer room(int bytes) {
            if (buffer.remaining() < bytes) {
                int needed = buffer.position() + bytes;
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, buffer.capacity() * 2));
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            return this;
        }

        public Writer putByte(byte value) {
            room(1).buffer.put(value);
            return this;
        }

        public Writer putBoolean(boolean value) {
            return putByte(value ? (byte) 1 : (byte) 0);
        }

        public Writer putInt(int value) {
            room(4).buffer.putInt(value);
            return this;
        }

        public Writer putLong(long value) {
            room(8).buffer.putLong(value);
            return this;
        }

        /** An int count, then each int. */
        public Writer putInts(int[] values) {
            putInt(values.length);
            room(4 * values.length);
            for (int value : values) {
                buffer.putInt(value);
            }
            return this;
        }

        /** An int length, then the bytes. */
        public Writer putBytes(byte[] bytes) {
            putInt(bytes.length);
            room(bytes.length).buffer.put(bytes);
            return this;
        }

        /** UTF-8, length-prefixed. */
        public Writer putString(String text) {
            return putBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        /** An int count, then each string. */
        public Writer putStrings(List<String> texts) {
            putInt(texts.size());
            texts.forEach(this::putString);
            return this;
        }

        /** The rest of the message, with no length: whatever follows the fields. */
        public Writer putRest(byte[] payload) {
            room(payload.length).buffer.put(payload);
            return this;
        }

        public byte[] toBytes() {
            if (buffer.position() == buffer.capacity()) {
                return buffer.array();
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /** Reads one frame's fields in the order they were written. */
    public static final class Reader {
        private final byte[] frame;
        private final ByteBuffer buffer;

        private Reader(byte[] frame) {
            this.frame = frame;
            this.buffer = ByteBuffer.wrap(frame);
            buffer.position(1);
        }

        public byte type() {
            return frame[0];
        }

        private void need(long bytes, String what) throws IOException {
            if (bytes < 0 || bytes > buffer.remaining()) {
                throw new MalformedFrameException("a frame of type " + frame[0] + " ends before its " + what + " ("
                        + bytes + " bytes wanted, " + buffer.remaining() + " left)");
            }
        }

        public byte getByte() throws IOException {
            need(1, "byte");
            return buffer.get();
        }

        public boolean getBoolean() throws IOException {
            return getByte() != 0;
        }

        public int getInt() throws IOException {
            need(4, "int");
            return buffer.getInt();
        }

        public long getLong() throws IOException {
            need(8, "long");
            return buffer.getLong();
        }

        public int[] getInts() throws IOException {
            int count = getInt();
            need(4L * count, "ints");
            int[] values = new int[count];
            for (int i = 0; i < count; i++) {
                values[i] = buffer.getInt();
            }
            return values;
        }

        public byte[] getBytes() throws IOException {
            int length = getInt();
            need(length, "bytes");
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            return bytes;
        }

        public String getString() throws IOException {
            int length = getInt();
            need(length, "string");
            String text = new String(frame, buffer.position(), length, StandardCharsets.UTF_8);
            buffer.position(buffer.position() + length);
            return text;
        }

        public List<String> getStrings() throws IOException {
            int count = getInt();
            // Each string takes at least its 4-byte length.
            need(4L * count, "strings");
            List<String> texts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                texts.add(getString());
            }
            return List.copyOf(texts);
        }

        /** Where the rest starts in the frame: read it in place, without a copy. */
        public int restOffset() {
            return buffer.position();
        }

        /** A copy of the rest of the message. */
        public byte[] rest() {
            return Arrays.copyOfRange(frame, buffer.position(), frame.length);
        }
    }
}
