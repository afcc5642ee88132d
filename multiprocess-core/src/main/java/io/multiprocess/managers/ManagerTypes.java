package io.multiprocess.managers;

import io.multiprocess.sharedctypes.CType;
import io.multiprocess.synchronize.Acquirable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiFunction;

/**
 * The types a manager serves, by type id: the built-in ones (Python's {@code SyncManager}'s: dict, list, queue,
 * locks, pool, ...) and those registered with {@link ManagerBuilder#register}. Makes an object of a type and says
 * which interface its proxies implement; the {@link ManagerServer} keeps the objects and serves calls on them.
 */
final class ManagerTypes {

    /** A new object and the interface its proxies implement. */
    record Made(Object referent, Class<?> api) {
    }

    /** The built-in types: type id, factory (given the create arguments), and the proxy's interface. */
    private record Builtin(BiFunction<ManagerHost, Object[], Object> factory, Class<?> api) {
    }

    private static final Map<String, Builtin> BUILTINS = Map.ofEntries(
            builtin("dict", Map.class, (host, args) -> Collections.synchronizedMap(new LinkedHashMap<>())),
            builtin("list", List.class, (host, args) -> Collections.synchronizedList(new ArrayList<>())),
            builtin("set", Set.class, (host, args) -> Collections.synchronizedSet(new LinkedHashSet<>())),
            builtin("namespace", Namespace.class, (host, args) -> new NamespaceObject()),
            builtin("queue", BlockingQueue.class, (host, args) -> intArg(args, 0) > 0
                    ? new LinkedBlockingQueue<>(intArg(args, 0)) : new LinkedBlockingQueue<>()),
            builtin("joinableQueue", JoinableQueueProxy.class,
                    (host, args) -> new JoinableQueueObject<>(intArg(args, 0))),
            builtin("array", List.class, (host, args) -> newArray(args)),
            builtin("lock", Acquirable.class, (host, args) -> new SyncObjects.SemaphoreObject(1, 1, "lock")),
            builtin("semaphore", Acquirable.class,
                    (host, args) -> new SyncObjects.SemaphoreObject(intArg(args, 1), 0, "semaphore")),
            builtin("boundedSemaphore", Acquirable.class, (host, args) -> new SyncObjects.SemaphoreObject(
                    intArg(args, 1), intArg(args, 1), "bounded semaphore")),
            builtin("rlock", Acquirable.class, (host, args) -> new SyncObjects.RLockObject()),
            builtin("condition", ConditionProxy.class,
                    (host, args) -> new SyncObjects.ConditionObject(new SyncObjects.RLockObject())),
            builtin("pool", PoolProxy.class, (host, args) -> host.newPool(intArg(args, 1))),
            builtin("event", EventProxy.class, (host, args) -> new SyncObjects.EventObject()),
            builtin("barrier", BarrierProxy.class, (host, args) -> new SyncObjects.BarrierObject(intArg(args, 0))),
            builtin("value", ValueProxy.class,
                    (host, args) -> new SyncObjects.ValueObject<>(args.length > 0 ? args[0] : null)));

    private static Map.Entry<String, Builtin> builtin(String typeid, Class<?> api,
            BiFunction<ManagerHost, Object[], Object> factory) {
        return Map.entry(typeid, new Builtin(factory, api));
    }

    /** The first create argument, an int, or {@code fallback} without one (Python's defaults: a semaphore of 1). */
    private static int intArg(Object[] args, int fallback) {
        return args.length > 0 && args[0] instanceof Integer value ? value : fallback;
    }

    /**
     * A fixed-size list over an array of the element class (args: the class name, then the size or the initial
     * elements), so storing a value of another type fails in the server with {@link ArrayStoreException}.
     */
    private static Object newArray(Object[] args) {
        Class<?> type;
        try {
            type = Class.forName((String) args[0], false, ManagerTypes.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("the manager cannot make an array of " + args[0]
                    + ": the class is not on its classpath", e);
        }
        Object[] elements;
        if (args[1] instanceof Integer size) {
            elements = (Object[]) java.lang.reflect.Array.newInstance(type, size);
            java.util.Arrays.fill(elements, zero(type));
        } else {
            Collection<?> initial = (Collection<?>) args[1];
            elements = initial.toArray((Object[]) java.lang.reflect.Array.newInstance(type, initial.size()));
        }
        return Collections.synchronizedList(java.util.Arrays.asList(elements));
    }

    /** Python's Array starts zeroed: 0 for numbers, false, the NUL character; null for other types. */
    private static Object zero(Class<?> type) {
        return CType.forClass(type).map(CType::zero).orElse(null);
    }

    private final Map<String, Registration> registrations = new HashMap<>();
    private final ManagerHost host;

    /** @param host where the pools of this server start their workers */
    ManagerTypes(List<Registration> registrations, ManagerHost host) {
        registrations.forEach(registration -> this.registrations.put(registration.typeid(), registration));
        this.host = host;
    }

    static boolean isBuiltin(String typeid) {
        return BUILTINS.containsKey(typeid);
    }

    /** A new object of {@code typeid}, made from the create arguments {@code args}. */
    Made make(String typeid, Object[] args, String serverId, String reducerName) {
        Builtin builtin = BUILTINS.get(typeid);
        if (builtin != null) {
            return new Made(builtin.factory().apply(host, args), builtin.api());
        }
        Registration registration = registrations.get(typeid);
        if (registration == null) {
            throw new IllegalArgumentException("this manager has no type '" + typeid + "'; registered: "
                    + registrations.keySet() + ", built in: " + BUILTINS.keySet());
        }
        if (registration.factory() == null) {
            throw new IllegalStateException("type '" + typeid + "' was registered in the server without a factory");
        }
        Object referent = registration.factory().get();
        Class<?> api = new ManagerToken(serverId, null, 0, typeid, List.of(registration.api()), reducerName,
                null).interfaceClasses().get(0);
        if (!api.isInstance(referent)) {
            throw new IllegalStateException("the factory of type '" + typeid + "' made a "
                    + (referent == null ? "null" : referent.getClass().getName()) + ", which does not implement "
                    + api.getName());
        }
        return new Made(referent, api);
    }
}
