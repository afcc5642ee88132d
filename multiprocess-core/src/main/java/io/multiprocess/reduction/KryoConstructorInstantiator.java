package io.multiprocess.reduction;

import com.esotericsoftware.kryo.KryoException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import org.objenesis.instantiator.ObjectInstantiator;
import org.objenesis.strategy.InstantiatorStrategy;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * How Kryo creates the objects it loads: through the class's no-argument constructor when it has one we may call,
 * else without calling any constructor (Objenesis). The same choice as Kryo's {@code DefaultInstantiatorStrategy},
 * which would first generate a ReflectASM accessor class per type: that generation (ASM classes that a startup
 * archive cannot hold, then a class defined at run time) is paid by every child JVM for the first object it
 * loads, while a reflective constructor costs nothing to set up and is as fast once the JDK has inflated it.
 */
final class KryoConstructorInstantiator implements InstantiatorStrategy {

    private final InstantiatorStrategy withoutConstructor = new StdInstantiatorStrategy();

    @Override
    public <T> ObjectInstantiator<T> newInstantiatorOf(Class<T> type) {
        boolean innerClass = type.isMemberClass() && !Modifier.isStatic(type.getModifiers());
        if (!innerClass) {
            try {
                Constructor<T> constructor = type.getDeclaredConstructor();
                if (constructor.trySetAccessible()) {
                    return () -> newInstance(constructor);
                }
            } catch (NoSuchMethodException | SecurityException e) {
                // No constructor to call: create the object without one.
            }
        }
        return withoutConstructor.newInstantiatorOf(type);
    }

    private static <T> T newInstance(Constructor<T> constructor) {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new KryoException("Error constructing instance of class: "
                    + constructor.getDeclaringClass().getName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new KryoException("Error constructing instance of class: "
                    + constructor.getDeclaringClass().getName(), e);
        }
    }
}
