package io.multiprocess.spring.boot.autoconfigure;

import io.multiprocess.BaseContext;
import io.multiprocess.queues.MpQueue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The queues named under {@code multiprocess.queues}, created with the application's context at startup.
 *
 * <pre>{@code
 * // multiprocess.queues.orders.maxsize=100
 * @Service
 * class Orders {
 *     private final MpQueue<Order> queue;
 *
 *     Orders(MultiprocessQueues queues) {
 *         this.queue = queues.queue("orders");
 *     }
 * }
 * }</pre>
 *
 * Each queue is hosted by this application's JVM: processes it starts (and pool tasks) reach it through the queue
 * handle they are given.
 */
public class MultiprocessQueues {

    private final Map<String, MpQueue<?>> queues;

    public MultiprocessQueues(BaseContext context, Map<String, MultiprocessProperties.Queue> configured) {
        Map<String, MpQueue<?>> created = new LinkedHashMap<>();
        configured.forEach((name, queue) -> {
            if (queue.getMaxsize() < 0) {
                throw new MultiprocessPropertyException("multiprocess.queues." + name + ".maxsize",
                        queue.getMaxsize(), "maxsize cannot be negative", "Set it to 0 (unbounded) or more.", null);
            }
            created.put(name, context.queue(queue.getMaxsize()));
        });
        this.queues = Collections.unmodifiableMap(created);
    }

    /**
     * The queue configured under {@code multiprocess.queues.<name>}.
     *
     * @throws IllegalArgumentException if no queue has that name
     */
    @SuppressWarnings("unchecked")
    public <T> MpQueue<T> queue(String name) {
        MpQueue<?> queue = queues.get(name);
        if (queue == null) {
            throw new IllegalArgumentException("no queue named '" + name + "': configure it as multiprocess.queues."
                    + name + ".maxsize (0 for unbounded); configured: " + queues.keySet());
        }
        return (MpQueue<T>) queue;
    }

    /** The configured names, in configuration order. */
    public Set<String> names() {
        return queues.keySet();
    }
}
