package io.multiprocess.hazelcast;

import java.util.concurrent.atomic.AtomicInteger;

/** An item that counts how often it is created in this JVM: each deserialization of it creates one. */
public final class Tripwire implements java.io.Serializable {

    private static final long serialVersionUID = 1L;
    static final AtomicInteger CREATED = new AtomicInteger();

    public Tripwire() {
        CREATED.incrementAndGet();
    }

    private Object readResolve() {
        CREATED.incrementAndGet();
        return this;
    }
}
