package io.multiprocess.internal.hosting;

import java.io.Serializable;

/** Where a process hosts its queues and pipes: its UNIX socket and its pid. */
public record HostAddress(String socket, long pid) implements Serializable {

    public boolean isThisProcess() {
        return pid == ProcessHandle.current().pid();
    }
}
