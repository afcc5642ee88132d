package io.multiprocess.internal.transport;

/**
 * Every type of message on every channel of the library, in one place, with its fields in order (laid out by
 * {@link FrameCodec}). A message's first byte is its type; the channel says which table it is read with. Managers'
 * messages are not here: they are objects sent through a public {@code Connection} (as Python's managers send
 * pickled tuples), so their reducer lays them out.
 */
public final class FrameTypes {

    private FrameTypes() {
    }

    /**
     * A parent and a child JVM, after the authkey challenge ({@code ChildChannel} in the child, {@code ChildJvm} in
     * the parent).
     *
     * <pre>
     *   child  -&gt; parent   HELLO    pid:long                 who just connected
     *   child  -&gt; parent   READY                             classes preloaded, waiting for a process object
     *   parent -&gt; child    RUN      see RunRequest            become this process and run it
     *   child  -&gt; parent   STARTED                           the process object is loaded and run() begins
     *   child  -&gt; parent   SIGNALED signal:int               a TERM/INT/HUP arrived; the exit that follows is it
     *   child  -&gt; parent   EXITING                           an orderly exit (return, exception, System.exit)
     *   child  -&gt; parent   LOG      see LogEvents             an SLF4J event of the child, when output is relayed
     *   child  -&gt; parent   LEVEL?   query:long, logger:string which levels of this logger does the parent log?
     *   parent -&gt; child    LEVEL    query:long, level:int     the lowest level it logs (SLF4J's int), or 50 (none)
     * </pre>
     */
    public static final class Control {
        public static final byte HELLO = 1;
        public static final byte READY = 2;
        public static final byte RUN = 3;
        public static final byte SIGNALED = 4;
        public static final byte EXITING = 5;
        public static final byte STARTED = 6;
        public static final byte LOG = 7;
        public static final byte LEVEL_QUERY = 8;
        public static final byte LEVEL = 9;

        private Control() {
        }
    }

    /**
     * A pool and its worker, on the worker's control channel after STARTED ({@code Scheduler} in the parent,
     * {@code PoolWorkerProcess} in the worker); codes apart from {@link Control}'s.
     *
     * <pre>
     *   parent -&gt; worker   TASK         batch:long, trace headers:strings (name, value, ...),
     *                                   rest: the reduced TaskBatch
     *   worker -&gt; parent   RESULT       batch:long, status:byte, heap used:long, nanos waiting, deserializing,
     *                                   working, serializing:long each, rest: the reduced List of
     *                                   results, the Throwable, or UTF-8 text for UNREDUCIBLE
     *   parent -&gt; worker   STOP                        finish: the worker's run() returns
     *   worker -&gt; parent   WORKER_READY                the initializer ran: the worker takes tasks now
     *   parent -&gt; worker   THREAD_DUMP                 send your threads' stacks (answered on the reader thread)
     *   worker -&gt; parent   THREADS      rest: stacks   the answer (see ThreadDumps)
     * </pre>
     */
    public static final class Pool {
        public static final byte TASK = 16;
        public static final byte RESULT = 17;
        public static final byte STOP = 18;
        public static final byte WORKER_READY = 19;
        public static final byte THREAD_DUMP = 20;
        public static final byte THREADS = 21;

        /** RESULT statuses. */
        public static final byte OK = 0;
        public static final byte FAILED = 1;
        public static final byte UNREDUCIBLE = 2;
        /** As FAILED, and the worker exits right after (a VM error such as OutOfMemoryError left it untrustworthy). */
        public static final byte FAILED_WORKER_EXITS = 3;

        private Pool() {
        }
    }

    /**
     * A process and an {@code ObjectHost} (the queues and pipes another process created). A request is
     * {@code code, request id:long, object id:long, timeout:long} then its payload; a reply is
     * {@code code, request id:long, object id:long} then its payload. Large payloads travel in the sender's ring
     * ({@code PayloadRing}) instead: the code has {@link #SHARED} set and the payload is {@code start:long, length:int}.
     */
    public static final class Host {
        // Requests.
        public static final byte GET = 1;
        public static final byte PUT = 2;
        /** A put on an unbounded mailbox: answered only if it fails, so a producer never waits for the host. */
        public static final byte PUT_ONE_WAY = 3;
        public static final byte SIZE = 4;
        public static final byte TASK_DONE = 5;
        public static final byte JOIN = 6;
        public static final byte WITHDRAW = 7;
        public static final byte ATTACH = 8;
        public static final byte DETACH = 9;
        public static final byte IN_TRANSIT = 10;
        /** A message fetched for a handle that will not read it goes back to the head of its mailbox. */
        public static final byte PUT_BACK = 11;

        /** Either direction: the sender's ring for large payloads is the segment named by the payload. */
        public static final byte RING = 32;
        /** Flag on a code: the payload is in the sender's ring, and the frame carries its position and length. */
        public static final byte SHARED = (byte) 0x80;

        // Replies.
        public static final byte OK = 64;
        public static final byte ITEM = 65;
        public static final byte TIMED_OUT = 66;
        public static final byte END = 67;
        public static final byte FAILED = 68;

        private Host() {
        }
    }
}
