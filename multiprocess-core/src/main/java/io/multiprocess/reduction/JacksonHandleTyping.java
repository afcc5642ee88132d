package io.multiprocess.reduction;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.lang.reflect.Proxy;
import java.util.Collection;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.jsontype.NamedType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;
import tools.jackson.databind.jsontype.TypeIdResolver;
import tools.jackson.databind.jsontype.impl.ClassNameIdResolver;
import tools.jackson.databind.jsontype.impl.DefaultTypeResolverBuilder;

/**
 * Jackson's default typing, with one change: a {@link SharedHandle} that is a {@link Proxy} (a manager's proxy) is
 * written with the type id {@code SharedHandle}, since its generated class has no name another JVM could load; it is
 * read back by the handle deserializer, which needs nothing but the token.
 */
final class JacksonHandleTyping extends DefaultTypeResolverBuilder {

    private static final long serialVersionUID = 1L;

    JacksonHandleTyping(PolymorphicTypeValidator validator, DefaultTyping applies, JsonTypeInfo.As inclusion) {
        super(validator, applies, inclusion);
    }

    @Override
    protected TypeIdResolver idResolver(DatabindContext context, JavaType baseType,
            PolymorphicTypeValidator validator, Collection<NamedType> subtypes, boolean forSerialization,
            boolean forDeserialization) {
        return new HandleIdResolver(baseType, subtypes, validator);
    }

    static boolean isProxyHandle(Class<?> type) {
        return type != null && Proxy.isProxyClass(type) && SharedHandle.class.isAssignableFrom(type);
    }

    private static final class HandleIdResolver extends ClassNameIdResolver {

        private static final long serialVersionUID = 1L;

        HandleIdResolver(JavaType baseType, Collection<NamedType> subtypes, PolymorphicTypeValidator validator) {
            super(baseType, subtypes, validator);
        }

        @Override
        public String idFromValue(DatabindContext context, Object value) {
            return value != null && isProxyHandle(value.getClass()) ? SharedHandle.class.getName()
                    : super.idFromValue(context, value);
        }

        @Override
        public String idFromValueAndType(DatabindContext context, Object value, Class<?> type) {
            return isProxyHandle(type) ? SharedHandle.class.getName() : super.idFromValueAndType(context, value, type);
        }
    }
}
