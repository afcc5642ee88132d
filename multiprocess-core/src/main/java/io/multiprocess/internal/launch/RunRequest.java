package io.multiprocess.internal.launch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a child needs to become a process: its identity, the settings it inherits to start children of its own,
 * and the reduced process object. Everything but {@code payload} is plain data written field by field, so the
 * child knows which reducer to use before it reads the payload.
 *
 * @param name the process name, e.g. {@code Process-1}
 * @param identity the identity chain, e.g. {@code [1, 2]} for the second child of the first child
 * @param daemon whether the process is daemonic (may not have children)
 * @param authkey the process's authkey, inherited by its own children
 * @param parentName the parent's name, for {@code Multiprocess.parentProcess()}
 * @param settings how this process starts children of its own
 * @param stderrLogLevel the level for {@code Multiprocess.logToStderr}, or empty when not enabled
 * @param payload the process object, reduced by {@code settings.reducer()}
 */
public record RunRequest(String name, int[] identity, boolean daemon, byte[] authkey, String parentName,
        LaunchSettings settings, String stderrLogLevel, byte[] payload) {

    /** Encodes this request as a RUN message. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(ControlMessage.RUN);
            out.writeUTF(name);
            out.writeInt(identity.length);
            for (int id : identity) {
                out.writeInt(id);
            }
            out.writeBoolean(daemon);
            writeBytes(out, authkey);
            out.writeUTF(parentName);
            out.writeUTF(settings.startMethod());
            out.writeUTF(settings.reducer());
            out.writeUTF(settings.executable());
            writeStrings(out, settings.jvmArguments());
            writeStrings(out, settings.preload());
            out.writeBoolean(settings.startupArchive());
            out.writeUTF(stderrLogLevel);
            writeBytes(out, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a RUN message made by {@link #encode()}. */
    public static RunRequest decode(byte[] message) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(message));
        if (in.readByte() != ControlMessage.RUN) {
            throw new IOException("expected a RUN message");
        }
        String name = in.readUTF();
        int[] identity = new int[in.readInt()];
        for (int i = 0; i < identity.length; i++) {
            identity[i] = in.readInt();
        }
        boolean daemon = in.readBoolean();
        byte[] authkey = readBytes(in);
        String parentName = in.readUTF();
        LaunchSettings settings = new LaunchSettings(in.readUTF(), in.readUTF(), in.readUTF(), readStrings(in),
                readStrings(in), in.readBoolean());
        String stderrLogLevel = in.readUTF();
        byte[] payload = readBytes(in);
        return new RunRequest(name, identity, daemon, authkey, parentName, settings, stderrLogLevel, payload);
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    private static void writeStrings(DataOutputStream out, List<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String s : strings) {
            out.writeUTF(s);
        }
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<String> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            strings.add(in.readUTF());
        }
        return List.copyOf(strings);
    }

    @Override
    public String toString() {
        return "RunRequest[" + name + " " + Arrays.toString(identity) + "]";
    }
}
