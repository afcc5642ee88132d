package io.multiprocess.internal.launch;

/**
 * The first byte of every message on a parent-child control channel, after the authkey challenge.
 *
 * <pre>
 *   child  -&gt; parent   HELLO pid:long              who just connected
 *   child  -&gt; parent   READY                       classes preloaded, waiting for a process object
 *   parent -&gt; child    RUN   {@link RunRequest}     become this process and run it
 *   child  -&gt; parent   STARTED                      the process object is loaded and run() begins
 *   child  -&gt; parent   SIGNALED signal:int          a TERM/INT/HUP arrived; the exit that follows is that signal
 *   child  -&gt; parent   EXITING                      the JVM is exiting in an orderly way (return, exception,
 *                                                   System.exit): its exit status is the code, not a signal
 * </pre>
 *
 * Pool workers add, after STARTED:
 *
 * <pre>
 *   parent -&gt; child    TASK  id:long payload           run this batch (see {@code io.multiprocess.pool})
 *   child  -&gt; parent   RESULT id:long status:byte heap:long payload
 *   parent -&gt; child    STOP                         finish: the worker's run() returns
 *   child  -&gt; parent   WORKER_READY                 the initializer ran: the worker takes tasks now
 *   parent -&gt; child    THREAD_DUMP                  send your threads' stacks (answered by the channel's
 *                                                   reader thread, while the task thread runs on)
 *   child  -&gt; parent   THREADS stacks               the answer, plain fields (see pool.ThreadDump)
 * </pre>
 */
public final class ControlMessage {

    public static final byte HELLO = 1;
    public static final byte READY = 2;
    public static final byte RUN = 3;
    public static final byte SIGNALED = 4;
    public static final byte EXITING = 5;
    public static final byte STARTED = 6;
    public static final byte TASK = 16;
    public static final byte RESULT = 17;
    public static final byte STOP = 18;
    public static final byte WORKER_READY = 19;
    public static final byte THREAD_DUMP = 20;
    public static final byte THREADS = 21;

    private ControlMessage() {
    }
}
