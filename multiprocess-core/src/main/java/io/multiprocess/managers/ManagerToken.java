package io.multiprocess.managers;

import io.multiprocess.internal.CurrentProcess;
import io.multiprocess.internal.hosting.Messages;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.SharedHandle;
import java.net.SocketAddress;
import java.util.List;

/**
 * How a proxy travels (Python's {@code Token}): which server (its id and address), which object, its type id, the
 * interfaces the proxy implements and the reducer of the server's connections. The receiver connects with its own
 * authkey, or with {@code authkey} when the token carries one (see {@link ProxyHandler#token()}).
 */
record ManagerToken(String serverId, SocketAddress address, long id, String typeid, List<String> interfaces,
        String reducer, byte[] authkey) implements HandleToken {

    @Override
    public SharedHandle resolve() {
        ManagerServer local = ManagerServer.running(serverId);
        if (local != null) {
            return local.proxyFor(id);
        }
        byte[] key = authkey != null ? authkey : CurrentProcess.authkey();
        Endpoint endpoint = Endpoint.forToken(serverId, address, key, Messages.reducer(reducer));
        return ProxyHandler.remoteProxy(endpoint, withoutKey(), interfaceClasses());
    }

    ManagerToken withoutKey() {
        return authkey == null ? this : new ManagerToken(serverId, address, id, typeid, interfaces, reducer, null);
    }

    ManagerToken withAddress(SocketAddress where) {
        return where.equals(address) ? this
                : new ManagerToken(serverId, where, id, typeid, interfaces, reducer, authkey);
    }

    ManagerToken withKey(byte[] key) {
        return new ManagerToken(serverId, address, id, typeid, interfaces, reducer, key);
    }

    List<Class<?>> interfaceClasses() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ManagerToken.class.getClassLoader();
        }
        List<Class<?>> classes = new java.util.ArrayList<>();
        for (String name : interfaces) {
            try {
                classes.add(Class.forName(name, false, loader));
            } catch (ClassNotFoundException e) {
                throw new io.multiprocess.reduction.ReductionException("cannot make a proxy for manager object '"
                        + typeid + "' #" + id + ": its interface " + name + " is not on this process's classpath");
            }
        }
        return classes;
    }

    @Override
    public String toString() {
        return "ManagerToken[" + typeid + " #" + id + " at " + Endpoint.describe(address) + "]";
    }
}
