package io.multiprocess.reduction;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import java.lang.reflect.Proxy;

/**
 * Writes a {@link SharedHandle} that is a {@link Proxy} (a manager's proxy) under the class {@code SharedHandle}:
 * the proxy class is generated at run time and has no name another JVM could load, and the handle's serializer
 * needs nothing but the token anyway.
 */
final class KryoProxyClassResolver extends DefaultClassResolver {

    @Override
    @SuppressWarnings("rawtypes")
    public Registration writeClass(Output output, Class type) {
        if (type != null && Proxy.isProxyClass(type) && SharedHandle.class.isAssignableFrom(type)) {
            return super.writeClass(output, SharedHandle.class);
        }
        return super.writeClass(output, type);
    }
}
