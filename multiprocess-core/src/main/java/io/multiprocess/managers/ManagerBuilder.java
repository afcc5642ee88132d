package io.multiprocess.managers;

import io.multiprocess.function.SerializableSupplier;
import io.multiprocess.internal.context.ContextDefaults;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures a manager (Python's {@code BaseManager(address, authkey)} with {@code register}): the types it
 * serves besides the built-in ones, where it listens and with which key, then {@link #start} it as a process,
 * {@link #startInProcess} it in this JVM, or {@link #connect} to one that runs elsewhere.
 *
 * <pre>{@code
 * try (SyncManager manager = SyncManager.builder()
 *         .register("Counter", Counter::new, CounterApi.class)
 *         .start(ctx)) {
 *     CounterApi counter = manager.create("Counter");
 *     counter.increment();
 * }
 * }</pre>
 */
public final class ManagerBuilder {

    private final List<Registration> registrations = new ArrayList<>();
    private SocketAddress address;
    private byte[] authkey;
    private Reducer reducer;

    ManagerBuilder() {
    }

    /**
     * Registers a type (Python's {@code register(typeid, callable)}): {@code manager.create(typeid)} calls
     * {@code factory} in the server and returns a proxy implementing {@code api}, whose every method is a call to
     * the object in the server. The factory travels to the server's process, so it must be reducible (a method
     * reference such as {@code Counter::new} is); to share one object, return the same instance each time. The
     * server calls the object from one thread per connected client: make it thread-safe.
     *
     * @param api a public interface the object implements; its methods are what proxies expose
     * @throws IllegalArgumentException if {@code api} is not an interface, or {@code typeid} is taken
     */
    public <T> ManagerBuilder register(String typeid, SerializableSupplier<? extends T> factory, Class<T> api) {
        Objects.requireNonNull(typeid, "typeid");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(api, "api");
        if (!api.isInterface()) {
            throw new IllegalArgumentException(api.getName() + " is not an interface: proxies of type '" + typeid
                    + "' need an interface listing the methods they expose");
        }
        if (ManagerTypes.isBuiltin(typeid)
                || registrations.stream().anyMatch(registration -> registration.typeid().equals(typeid))) {
            throw new IllegalArgumentException("type id '" + typeid + "' is already registered");
        }
        registrations.add(new Registration(typeid, factory, api.getName()));
        return this;
    }

    /**
     * Where the server listens: a {@link java.net.UnixDomainSocketAddress}, or an {@link java.net.InetSocketAddress}
     * for other machines (port 0: a free one; bind to the loopback address unless other machines must connect).
     * Default: a fresh UNIX-domain socket in a private directory. For {@link #connect()}, the server's address.
     */
    public ManagerBuilder address(SocketAddress address) {
        this.address = address;
        return this;
    }

    /** The key clients must prove they know; default: this process's authkey (which its children inherit). */
    public ManagerBuilder authkey(byte[] authkey) {
        this.authkey = authkey == null ? null : authkey.clone();
        return this;
    }

    /**
     * The reducer of calls and results; the server and every client must use the same. Default: the context's
     * for {@link #start(ManagerHost)}, the default context's otherwise.
     */
    public ManagerBuilder reducer(Reducer reducer) {
        this.reducer = reducer;
        return this;
    }

    /**
     * Starts the server in a new child process of {@code ctx} (Python's {@code manager.start()}) and waits until it
     * listens. The process is daemonic: it ends with this JVM at the latest; {@link SyncManager#shutdown()} ends it
     * sooner.
     */
    public SyncManager start(ManagerHost ctx) {
        Objects.requireNonNull(ctx, "ctx");
        Reducer r = reducer != null ? reducer : ctx.getReducer();
        return SyncManager.startProcess(ctx, spec(r), r);
    }

    /**
     * Runs the server in this JVM, on threads of its own (Python's {@code manager.get_server().serve_forever()}),
     * e.g. for a service that other machines {@link #connect()} to. Types are created here, so factories need not
     * be reducible. The manager's pools start their workers from {@code ctx}:
     * {@code SyncManager.builder().startInProcess(Multiprocess.getContext())}.
     */
    public SyncManager startInProcess(ManagerHost ctx) {
        Objects.requireNonNull(ctx, "ctx");
        Reducer r = reducer != null ? reducer : ctx.getReducer();
        return SyncManager.startHere(spec(r), r, ctx);
    }

    /**
     * Connects to a server running elsewhere, at {@link #address(SocketAddress)} with {@link #authkey(byte[])}
     * (Python's {@code manager.connect()}). Registering types is not needed to use them: {@code create(typeid)}
     * gives a proxy for any type the server knows.
     *
     * @throws io.multiprocess.errors.AuthenticationException if the server refuses the key
     */
    public SyncManager connect() {
        if (address == null) {
            throw new IllegalStateException("connect() needs the server's address: call address(...) first");
        }
        Reducer r = reducer != null ? reducer : ContextDefaults.reducer();
        return SyncManager.connectTo(address, authkey, r);
    }

    private ServerSpec spec(Reducer r) {
        return new ServerSpec(List.copyOf(registrations), address, authkey, Reducers.nameOf(r));
    }
}
