package io.multiprocess.internal;

import java.security.SecureRandom;

/**
 * What this JVM knows of the process it is: its name and authkey. It lives here, below every package that needs it
 * (transport, hosting, managers, logging), so none of them reaches up to {@code MpProcess}: {@code MpProcess}
 * becomes the {@link Source} when it is first used, and every read goes through it from then on. Before that, in a
 * main JVM that has not touched {@code MpProcess} yet, the answers are the ones {@code MpProcess} will give: the name
 * {@code MainProcess} and this JVM's one random authkey.
 */
public final class CurrentProcess {

    /** Where the answers come from once the process object exists. */
    public interface Source {
        String name();

        byte[] authkey();
    }

    private static volatile Source source;

    private CurrentProcess() {
    }

    public static void setSource(Source newSource) {
        source = newSource;
    }

    /** The current process's name ({@code MainProcess} in the main JVM). */
    public static String name() {
        Source s = source;
        return s != null ? s.name() : "MainProcess";
    }

    /** A copy of the current process's authkey. */
    public static byte[] authkey() {
        Source s = source;
        return s != null ? s.authkey() : mainAuthkey();
    }

    /** The main process's first authkey: 32 random bytes, made once per JVM. */
    public static byte[] mainAuthkey() {
        return MainKey.KEY.clone();
    }

    private static final class MainKey {
        static final byte[] KEY = new byte[32];

        static {
            new SecureRandom().nextBytes(KEY);
        }
    }
}
