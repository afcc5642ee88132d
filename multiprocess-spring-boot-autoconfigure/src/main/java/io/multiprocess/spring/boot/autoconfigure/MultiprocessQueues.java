package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.BaseContext;
import io.multiprocess.queues.MpQueue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The queues named under {@code multiprocess.queues}, created with the application's context at startup. Each is
 * also a bean named after its key; inject it by qualifier:
 *
 * <pre>{@code
 * // multiprocess.queues.orders.maxsize=100
 * @Service
 * class Orders {
 *     private final MpQueue<Order> queue;
 *
 *     Orders(@Qualifier("orders") MpQueue<Order> queue) {
 *         this.queue = queue;
 *     }
 * }
 * }</pre>
 *
 * Every injection point and every {@link #queue} call gets a handle of its own on the same queue: closing it only
 * closes that handle. The queue is hosted by this application's JVM: processes it starts (and pool tasks) reach it
 * through the handle they are given.
 */
public class MultiprocessQueues {

    static final String BEAN_NAME = "multiprocessQueues";

    private final Map<String, MpQueue<?>> queues;

    /** @param context where the queues are created; may be null when none is configured */
    public MultiprocessQueues(BaseContext context, Map<String, MultiprocessProperties.Queue> configured) {
        Map<String, MpQueue<?>> created = new LinkedHashMap<>();
        configured.forEach((name, queue) -> {
            if (queue.getMaxsize() < 0) {
                throw new MultiprocessPropertyException("multiprocess.queues." + name + ".maxsize",
                        queue.getMaxsize(), "maxsize cannot be negative", "Set it to 0 (unbounded) or more.", null);
            }
            created.put(name, queue.isJoinable() ? context.joinableQueue(queue.getMaxsize())
                    : context.queue(queue.getMaxsize()));
        });
        this.queues = Collections.unmodifiableMap(created);
    }

    /**
     * A new handle on the queue configured under {@code multiprocess.queues.<name>}.
     *
     * @throws IllegalArgumentException if no queue has that name
     */
    @SuppressWarnings("unchecked")
    public <T> MpQueue<T> queue(String name) {
        return (MpQueue<T>) owned(name).newHandle();
    }

    /** The factory method of the queue beans: a handle per injection point. */
    MpQueue<?> newHandle(String name) {
        return owned(name).newHandle();
    }

    /** Items in the queue now; never opens or closes a handle. */
    public int size(String name) {
        return owned(name).qsize();
    }

    /** The configured names, in configuration order. */
    public Set<String> names() {
        return queues.keySet();
    }

    private MpQueue<?> owned(String name) {
        MpQueue<?> queue = queues.get(name);
        if (queue == null) {
            throw new IllegalArgumentException("no queue named '" + name + "': configure it as multiprocess.queues."
                    + name + ".maxsize (0 for unbounded); configured: " + queues.keySet());
        }
        return queue;
    }
}
