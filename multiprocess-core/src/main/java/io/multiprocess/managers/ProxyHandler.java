package io.multiprocess.managers;

import io.multiprocess.internal.CurrentProcess;
import io.multiprocess.internal.context.MessageScope;
import io.multiprocess.reduction.HandleToken;
import io.multiprocess.reduction.ReductionException;
import io.multiprocess.reduction.SharedHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What every manager proxy is (Python's {@code BaseProxy}): a {@link Proxy} on the object's interfaces whose calls go
 * to the server as a method signature and the reduced arguments, and come back as the reduced result or the
 * server's exception. In the server's own process a proxy calls the object directly.
 *
 * <p>Collections are copied out, never viewed: {@code keySet()}, {@code values()}, {@code entrySet()},
 * {@code subList}, {@code iterator()} and the streams built on them are snapshots taken atomically in the server;
 * changing them does not change the shared object. Functions given to {@code compute}, {@code merge},
 * {@code removeIf}, {@code replaceAll} or {@code sort} run in the server, atomically, so they must be reducible
 * (serializable lambdas); {@code forEach} and the streams run here over a snapshot, and {@code Acquirable.hold()}
 * here over remote {@code acquire}/{@code release}.
 */
final class ProxyHandler implements InvocationHandler {

    /** Default methods run in the calling process, over snapshots: running them in the server would be useless. */
    private static final Set<String> LOCAL_DEFAULTS = Set.of("forEach", "spliterator", "stream", "parallelStream",
            "hold");

    /**
     * Types whose objects are owned by a thread in the server (a reentrant lock, a condition over one): their proxies
     * call over the calling thread's own connection (see {@link Endpoint#callPinned}).
     */
    static final Set<String> THREAD_OWNED = Set.of("rlock", "condition");

    private final ManagerToken token;
    private final Endpoint endpoint;
    private final ManagerServer local;

    private ProxyHandler(ManagerToken token, Endpoint endpoint, ManagerServer local) {
        this.token = token;
        this.endpoint = endpoint;
        this.local = local;
    }

    static SharedHandle remoteProxy(Endpoint endpoint, ManagerToken token, List<Class<?>> interfaces) {
        return newProxy(new ProxyHandler(token, endpoint, null), interfaces);
    }

    static SharedHandle localProxy(ManagerServer server, ManagerToken token, List<Class<?>> interfaces) {
        return newProxy(new ProxyHandler(token, null, server), interfaces);
    }

    private static SharedHandle newProxy(ProxyHandler handler, List<Class<?>> interfaces) {
        List<Class<?>> all = new ArrayList<>(interfaces);
        all.add(SharedHandle.class);
        ClassLoader loader = null;
        for (Class<?> type : interfaces) {
            if (type.getClassLoader() != null) {
                loader = type.getClassLoader();
                break;
            }
        }
        if (loader == null) {
            loader = ProxyHandler.class.getClassLoader();
        }
        return (SharedHandle) Proxy.newProxyInstance(loader, all.toArray(Class<?>[]::new), handler);
    }

    /** The handler of {@code object} if it is a manager proxy, else null. */
    static ProxyHandler of(Object object) {
        if (object != null && Proxy.isProxyClass(object.getClass())
                && Proxy.getInvocationHandler(object) instanceof ProxyHandler handler) {
            return handler;
        }
        return null;
    }

    ManagerToken managerToken() {
        return token;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Object[] arguments = args == null ? new Object[0] : args;
        String name = method.getName();
        Class<?> declaring = method.getDeclaringClass();
        if (declaring == Object.class) {
            switch (name) {
                case "equals":
                    ProxyHandler other = of(arguments[0]);
                    if (other != null && other.token.serverId().equals(token.serverId())
                            && other.token.id() == token.id()) {
                        return true;
                    }
                    return arguments[0] != null && (Boolean) call(method, arguments);
                case "toString":
                    try {
                        return call(method, arguments);
                    } catch (RuntimeException e) {
                        return "<proxy of manager object '" + token.typeid() + "' #" + token.id() + " at "
                                + Endpoint.describe(token.address()) + ", unavailable: " + e.getMessage() + ">";
                    }
                default:
                    return call(method, arguments);
            }
        }
        if (declaring == SharedHandle.class) {
            return token();
        }
        if (method.isDefault() && (LOCAL_DEFAULTS.contains(name)
                || declaring.getPackage() == ProxyHandler.class.getPackage())) {
            // Also the defaults of this package's proxy interfaces (awaitUntil, applyAsync): built on remote calls.
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        if (name.equals("drainTo") && arguments.length >= 1 && arguments[0] instanceof Collection<?> target) {
            // The target collection is this process's: the server drains into a list it sends back.
            Object[] remoteArguments = arguments.clone();
            remoteArguments[0] = null;
            @SuppressWarnings("unchecked")
            List<Object> drained = (List<Object>) call(method, remoteArguments);
            @SuppressWarnings("unchecked")
            Collection<Object> into = (Collection<Object>) target;
            into.addAll(drained);
            return drained.size();
        }
        Object result = call(method, arguments);
        if (name.equals("iterator") || name.equals("listIterator")) {
            List<?> snapshot = Collections.unmodifiableList((List<?>) result);
            if (name.equals("iterator")) {
                return snapshot.iterator();
            }
            return arguments.length == 1 ? snapshot.listIterator((Integer) arguments[0]) : snapshot.listIterator();
        }
        return result;
    }

    private Object call(Method method, Object[] arguments) throws Throwable {
        String signature = signature(method);
        if (local != null) {
            return local.dispatch(token.id(), signature, arguments);
        }
        Wire.Reply reply;
        try {
            Wire.Request request = new Wire.Request(Wire.Op.CALL, token.id(), signature, arguments);
            reply = THREAD_OWNED.contains(token.typeid()) ? endpoint.callPinned(request, describeCall(method))
                    : endpoint.call(request, describeCall(method));
        } catch (ReductionException e) {
            if (Arrays.stream(method.getParameterTypes()).anyMatch(ProxyHandler::isFunctional)) {
                throw new ReductionException(describeCall(method) + " runs its function in the manager server, so "
                        + "the function must be sent there: use a serializable lambda (e.g. cast it, "
                        + "(BiFunction<K, V, V> & Serializable) (k, v) -> ...), or a lock around plain calls. "
                        + e.getMessage(), e);
            }
            throw e;
        }
        if (reply.failure() != null) {
            throw rebuild(reply.failure(), method, endpoint.describe());
        }
        return reply.value();
    }

    private static boolean isFunctional(Class<?> type) {
        return type.isInterface() && (type.isAnnotationPresent(FunctionalInterface.class)
                || type == java.util.Comparator.class);
    }

    /** The exception a failed call throws: the server's type and message, caused by the server's trace. */
    static Throwable rebuild(Wire.Failure failure, Method method, String where) {
        RemoteException remote = new RemoteException(failure.type(), failure.message(), failure.trace(), "at "
                + where);
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(failure.type(), false,
                    loader != null ? loader : ProxyHandler.class.getClassLoader());
            boolean allowed = RuntimeException.class.isAssignableFrom(type) || Error.class.isAssignableFrom(type)
                    || (method != null && Arrays.stream(method.getExceptionTypes())
                            .anyMatch(declared -> declared.isAssignableFrom(type)));
            if (!allowed || !Throwable.class.isAssignableFrom(type)) {
                return remote;
            }
            Constructor<?> constructor = type.getConstructor(String.class);
            Throwable rebuilt = (Throwable) constructor.newInstance(failure.message());
            try {
                rebuilt.initCause(remote);
            } catch (IllegalStateException | IllegalArgumentException e) {
                rebuilt.addSuppressed(remote);
            }
            return rebuilt;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return remote;
        }
    }

    /**
     * The token this proxy travels as, with the server's address as this JVM reaches it. Like Python, which hands
     * a proxy's authkey to a process it spawns, a proxy connected with a key that is not this process's authkey
     * carries that key when it is sent as a process argument or in a pool task; inside a queue item, a pipe message
     * or a manager call it carries none.
     */
    HandleToken token() {
        if (endpoint == null) {
            return token;
        }
        // The address this JVM reaches the server by (a server bound to 0.0.0.0 names itself so), which is more
        // likely to work where the token goes than the one the server gave.
        ManagerToken travelling = token.withAddress(endpoint.address);
        if (MessageScope.within(MessageScope.Kind.MANAGER_CALL) || MessageScope.within(MessageScope.Kind.MESSAGE)
                || Arrays.equals(endpoint.authkey, CurrentProcess.authkey())) {
            return travelling;
        }
        return travelling.withKey(endpoint.authkey);
    }

    private String describeCall(Method method) {
        return method.getName() + " on manager object '" + token.typeid() + "' #" + token.id();
    }

    static String signature(Method method) {
        StringJoiner joiner = new StringJoiner(",", method.getName() + "(", ")");
        for (Class<?> parameter : method.getParameterTypes()) {
            joiner.add(parameter.getName());
        }
        return joiner.toString();
    }
}
