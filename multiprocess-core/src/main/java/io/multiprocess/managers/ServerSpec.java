package io.multiprocess.managers;

import java.io.Serializable;
import java.net.SocketAddress;
import java.util.List;

/** What a manager server is started with; sent to the server's process when it runs in one. */
record ServerSpec(List<Registration> registrations, SocketAddress address, byte[] authkey, String reducer)
        implements Serializable {
}
