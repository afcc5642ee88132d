package io.multiprocess.internal.transport;

import io.multiprocess.internal.MpLogger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One daemon thread per JVM that tells selectable channels when their socket becomes readable, for
 * {@link FrameChannel#whenReadable}: so a thread can wait on many connections (and processes) at once without a
 * thread per connection. Started on first use.
 *
 * <p>A channel is armed once per wait: when its socket is readable (a message, or the peer's end of stream) the
 * watcher stops watching it and runs its callback; the next wait arms it again. Every change to the selector's
 * registrations is made on the watcher's own thread, in order.
 */
final class ReadinessWatcher {

    private static volatile ReadinessWatcher instance;

    private final Selector selector;
    private final Queue<Runnable> changes = new ConcurrentLinkedQueue<>();
    /** The callback of each armed channel. Watcher thread only. */
    private final Map<SelectableChannel, Runnable> armed = new HashMap<>();

    private ReadinessWatcher() throws IOException {
        selector = Selector.open();
        Thread thread = new Thread(this::loop, "multiprocess-connection-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    static ReadinessWatcher get() {
        ReadinessWatcher watcher = instance;
        if (watcher == null) {
            synchronized (ReadinessWatcher.class) {
                watcher = instance;
                if (watcher == null) {
                    try {
                        watcher = new ReadinessWatcher();
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot open a selector to wait on connections", e);
                    }
                    instance = watcher;
                }
            }
        }
        return watcher;
    }

    /** Runs {@code onReadable} once, on the watcher thread, when {@code channel} is readable or closed. */
    void arm(SelectableChannel channel, Runnable onReadable) {
        changes.add(() -> {
            armed.put(channel, onReadable);
            try {
                SelectionKey key = channel.keyFor(selector);
                if (key == null) {
                    channel.register(selector, SelectionKey.OP_READ);
                } else {
                    key.interestOps(SelectionKey.OP_READ);
                }
            } catch (ClosedChannelException | CancelledKeyException e) {
                armed.remove(channel);
                onReadable.run();
            }
        });
        selector.wakeup();
    }

    /** Stops watching a channel that was closed (its waiters were woken by the close). */
    void forget(SelectableChannel channel) {
        changes.add(() -> armed.remove(channel));
        // The next selection deregisters the closed channel's key, which lets the JDK release its socket.
        selector.wakeup();
    }

    private void loop() {
        while (true) {
            try {
                selector.select();
            } catch (IOException e) {
                MpLogger.INSTANCE.warn("the connection watcher could not wait; it tries again", e);
                continue;
            }
            Runnable change;
            while ((change = changes.poll()) != null) {
                run(change);
            }
            for (SelectionKey key : selector.selectedKeys()) {
                Runnable callback = armed.remove(key.channel());
                try {
                    key.interestOps(0);
                } catch (CancelledKeyException e) {
                    // Closed meanwhile: its close woke its waiters.
                }
                if (callback != null) {
                    run(callback);
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // A callback only wakes a waiter and does not throw; should one, the others still run.
            MpLogger.INSTANCE.warn("a connection wake-up failed", e);
        }
    }
}
