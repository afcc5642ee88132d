package io.multiprocess.internal.launch;

/**
 * Python's exit codes from what the JVM reports. {@link Process#exitValue()} gives 128+N both for a death by
 * signal N and for {@code System.exit(128+N)}, so the child tells its parent how it ends on the control channel:
 * a signal handler sends SIGNALED, a shutdown hook sends EXITING.
 *
 * <ul>
 *   <li>SIGNALED(n) received: the process ended by signal n, exit code {@code -n}.</li>
 *   <li>EXITING received: an orderly exit; the status is the code ({@code System.exit(137)} is 137).</li>
 *   <li>Neither, status above 128: no hook ran (SIGKILL, a native crash): exit code {@code -(status-128)}.</li>
 *   <li>Otherwise the status itself.</li>
 * </ul>
 */
public final class ExitStatus {

    private ExitStatus() {
    }

    public static int decode(int status, int signalReported, boolean orderlyExitReported) {
        if (signalReported > 0) {
            return -signalReported;
        }
        if (!orderlyExitReported && status > 128 && status < 128 + 65) {
            return -(status - 128);
        }
        return status;
    }

    /** A readable description of a Python-style exit code, e.g. {@code "killed by signal 9 (SIGKILL)"}. */
    public static String describe(int exitCode) {
        if (exitCode >= 0) {
            return "exit code " + exitCode;
        }
        int signal = -exitCode;
        String name = switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
        return "killed by signal " + signal + " (" + name + ")";
    }
}
