package io.multiprocess.internal.launch;

import io.multiprocess.internal.transport.FrameCodec;
import io.multiprocess.internal.transport.FrameTypes;
import java.io.IOException;
import java.util.Arrays;

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
        return FrameCodec.frame(FrameTypes.Control.RUN, payload.length + 256)
                .putString(name)
                .putInts(identity)
                .putBoolean(daemon)
                .putBytes(authkey)
                .putString(parentName)
                .putString(settings.startMethod())
                .putString(settings.reducer())
                .putString(settings.executable())
                .putStrings(settings.jvmArguments())
                .putStrings(settings.preload())
                .putBoolean(settings.startupArchive())
                .putString(stderrLogLevel)
                .putBytes(payload)
                .toBytes();
    }

    /** Decodes a RUN message made by {@link #encode()}. */
    public static RunRequest decode(byte[] message) throws IOException {
        FrameCodec.Reader in = FrameCodec.read(message);
        if (in.type() != FrameTypes.Control.RUN) {
            throw new IOException("expected a RUN message, got one of type " + in.type());
        }
        String name = in.getString();
        int[] identity = in.getInts();
        boolean daemon = in.getBoolean();
        byte[] authkey = in.getBytes();
        String parentName = in.getString();
        LaunchSettings settings = new LaunchSettings(in.getString(), in.getString(), in.getString(), in.getStrings(),
                in.getStrings(), in.getBoolean());
        String stderrLogLevel = in.getString();
        byte[] payload = in.getBytes();
        return new RunRequest(name, identity, daemon, authkey, parentName, settings, stderrLogLevel, payload);
    }

    @Override
    public String toString() {
        return "RunRequest[" + name + " " + Arrays.toString(identity) + "]";
    }
}
