package io.multiprocess.reduction;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.UnixDomainSocketAddress;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.Version;
import tools.jackson.core.type.WritableTypeId;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.deser.Deserializers;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.ser.Serializers;
import tools.jackson.databind.ser.std.ToStringSerializer;

/**
 * Teaches Jackson serializable lambdas, {@link SharedHandle}s and UNIX-domain socket addresses, and makes it refuse classes it would silently get
 * wrong.
 *
 * <p>A lambda is written as its {@link SerializedLambda} parts with typed captured values. Its type id is its
 * functional interface (the lambda's own class name means nothing in another JVM); a type id naming a functional
 * interface can only come from a lambda, since every other value carries its concrete class, so that is where the
 * lambda deserializer is plugged in.
 *
 * <p>Refused rather than rebuilt wrong: anonymous, local and inner classes (Jackson would drop their captured
 * values and outer instance), and map keys other than strings where the key type is not declared (they would come
 * back as strings).
 */
final class JacksonLambdaModule extends JacksonModule {

    /** The JSON shape of a lambda; class names use '/' as in {@link SerializedLambda}. */
    record LambdaForm(String capturingClass, String functionalInterfaceClass, String functionalInterfaceMethodName,
            String functionalInterfaceMethodSignature, int implMethodKind, String implClass, String implMethodName,
            String implMethodSignature, String instantiatedMethodType, Object[] capturedArgs) {
    }

    /** The JSON shape of a shared handle: its token, with the token's type. */
    record HandleForm(HandleToken token) {
    }

    @Override
    public String getModuleName() {
        return "multiprocess-lambdas";
    }

    @Override
    public Version version() {
        return Version.unknownVersion();
    }

    @Override
    public void setupModule(SetupContext context) {
        context.addSerializers(new Serializers.Base() {
            @Override
            public ValueSerializer<?> findSerializer(SerializationConfig config, JavaType type,
                    BeanDescription.Supplier description,
                    com.fasterxml.jackson.annotation.JsonFormat.Value format) {
                Class<?> raw = type.getRawClass();
                if (SharedHandle.class.isAssignableFrom(raw)) {
                    return new HandleSerializer();
                }
                if (SerializedLambdas.isLambda(raw)) {
                    return new LambdaSerializer();
                }
                if (raw == UnixDomainSocketAddress.class) {
                    return new ToStringSerializer(UnixDomainSocketAddress.class);
                }
                if (isInnerClass(raw)) {
                    return new RefusingSerializer(raw.getName() + " is an anonymous, local or inner class, whose"
                            + " captured values and outer instance JSON cannot carry. Use a lambda typed by an"
                            + " io.multiprocess.function interface, a record or a static nested class, or use"
                            + " reducer 'kryo'.");
                }
                if (lacksCreator(raw)) {
                    return new RefusingSerializer(raw.getName() + " has no no-argument constructor and is not a"
                            + " record, so JSON cannot be turned back into it. Add a no-argument constructor (any"
                            + " visibility), make it a record, or use reducer 'kryo'.");
                }
                return null;
            }

            // A manager's proxy of a Map or a Collection is a handle, not a collection to write out.
            @Override
            public ValueSerializer<?> findCollectionSerializer(SerializationConfig config,
                    tools.jackson.databind.type.CollectionType type, BeanDescription.Supplier description,
                    com.fasterxml.jackson.annotation.JsonFormat.Value format, TypeSerializer elementTypeSerializer,
                    ValueSerializer<Object> elementSerializer) {
                return SharedHandle.class.isAssignableFrom(type.getRawClass()) ? new HandleSerializer() : null;
            }

            @Override
            public ValueSerializer<?> findMapSerializer(SerializationConfig config,
                    tools.jackson.databind.type.MapType type, BeanDescription.Supplier description,
                    com.fasterxml.jackson.annotation.JsonFormat.Value format, ValueSerializer<Object> keySerializer,
                    TypeSerializer elementTypeSerializer, ValueSerializer<Object> elementValueSerializer) {
                return SharedHandle.class.isAssignableFrom(type.getRawClass()) ? new HandleSerializer() : null;
            }
        });
        context.addKeySerializers(new Serializers.Base() {
            @Override
            public ValueSerializer<?> findSerializer(SerializationConfig config, JavaType type,
                    BeanDescription.Supplier description,
                    com.fasterxml.jackson.annotation.JsonFormat.Value format) {
                return type.getRawClass() == Object.class ? new UntypedKeySerializer() : null;
            }
        });
        context.addDeserializers(new Deserializers.Base() {
            @Override
            public ValueDeserializer<?> findBeanDeserializer(JavaType type, DeserializationConfig config,
                    BeanDescription.Supplier description) {
                Class<?> raw = type.getRawClass();
                if (SharedHandle.class.isAssignableFrom(raw)) {
                    return new HandleDeserializer();
                }
                if (raw == UnixDomainSocketAddress.class) {
                    return new UnixAddressDeserializer();
                }
                return isFunctionalInterface(raw) ? new LambdaDeserializer() : null;
            }

            @Override
            public boolean hasDeserializerFor(DeserializationConfig config, Class<?> valueType) {
                return SharedHandle.class.isAssignableFrom(valueType) || valueType == UnixDomainSocketAddress.class
                        || isFunctionalInterface(valueType);
            }
        });
    }

    private static boolean isInnerClass(Class<?> type) {
        return !type.isEnum() && !Enum.class.isAssignableFrom(type) && (type.isAnonymousClass()
                || type.isLocalClass() || (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())));
    }

    /**
     * A user class Jackson would write but could not read back: refused when dumping, so the error reaches the
     * caller (at {@code start()} or submit) instead of the child.
     */
    private static boolean lacksCreator(Class<?> type) {
        if (type.isPrimitive() || type.isArray() || type.isInterface() || type.isEnum() || type.isRecord()
                || Modifier.isAbstract(type.getModifiers()) || SerializedLambdas.isLambda(type)) {
            return false;
        }
        String name = type.getName();
        if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("tools.jackson.")) {
            return false;
        }
        try {
            type.getDeclaredConstructor();
            return false;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }

    private static boolean isFunctionalInterface(Class<?> type) {
        if (!type.isInterface()) {
            return false;
        }
        int abstractMethods = 0;
        for (Method method : type.getMethods()) {
            if (Modifier.isAbstract(method.getModifiers()) && !isObjectMethod(method)) {
                abstractMethods++;
            }
        }
        return abstractMethods == 1;
    }

    private static boolean isObjectMethod(Method method) {
        try {
            Object.class.getMethod(method.getName(), method.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static final class LambdaSerializer extends ValueSerializer<Object> {

        @Override
        public void serialize(Object lambda, JsonGenerator generator, SerializationContext context) {
            SerializedLambda form = SerializedLambdas.serialize(lambda);
            context.findValueSerializer(LambdaForm.class).serialize(new LambdaForm(form.getCapturingClass(),
                    form.getFunctionalInterfaceClass(), form.getFunctionalInterfaceMethodName(),
                    form.getFunctionalInterfaceMethodSignature(), form.getImplMethodKind(), form.getImplClass(),
                    form.getImplMethodName(), form.getImplMethodSignature(), form.getInstantiatedMethodType(),
                    SerializedLambdas.capturedArgs(form)), generator, context);
        }

        @Override
        public void serializeWithType(Object lambda, JsonGenerator generator, SerializationContext context,
                TypeSerializer typeSerializer) {
            // A scalar shape, so the prefix writes only "[id," and serialize() writes the whole object.
            WritableTypeId typeId = typeSerializer.typeId(lambda, JsonToken.VALUE_STRING);
            typeId.id = functionalInterface(lambda);
            typeSerializer.writeTypePrefix(generator, context, typeId);
            serialize(lambda, generator, context);
            typeSerializer.writeTypeSuffix(generator, context, typeId);
        }

        private static String functionalInterface(Object lambda) {
            return SerializedLambdas.serialize(lambda).getFunctionalInterfaceClass().replace('/', '.');
        }
    }

    private static final class LambdaDeserializer extends ValueDeserializer<Object> {

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            LambdaForm form = context.readValue(parser, LambdaForm.class);
            Class<?> capturing;
            try {
                capturing = context.getTypeFactory().findClass(form.capturingClass().replace('/', '.'));
            } catch (ClassNotFoundException e) {
                throw new ReductionException("class " + e.getMessage() + " was not found. "
                        + ReductionFailures.SAME_CLASSPATH_HINT, e);
            }
            return SerializedLambdas.deserialize(SerializedLambdas.form(capturing, form.functionalInterfaceClass(),
                    form.functionalInterfaceMethodName(), form.functionalInterfaceMethodSignature(),
                    form.implMethodKind(), form.implClass(), form.implMethodName(), form.implMethodSignature(),
                    form.instantiatedMethodType(), form.capturedArgs()), capturing);
        }
    }

    private static final class HandleSerializer extends ValueSerializer<Object> {

        @Override
        public void serialize(Object handle, JsonGenerator generator, SerializationContext context) {
            context.findValueSerializer(HandleForm.class).serialize(new HandleForm(((SharedHandle) handle).token()),
                    generator, context);
        }

        @Override
        public void serializeWithType(Object handle, JsonGenerator generator, SerializationContext context,
                TypeSerializer typeSerializer) {
            // A scalar shape, as for lambdas: the prefix writes only "[id," and serialize() writes the whole object.
            WritableTypeId typeId = typeSerializer.typeId(handle, JsonToken.VALUE_STRING);
            typeSerializer.writeTypePrefix(generator, context, typeId);
            serialize(handle, generator, context);
            typeSerializer.writeTypeSuffix(generator, context, typeId);
        }
    }

    private static final class HandleDeserializer extends ValueDeserializer<Object> {

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            return context.readValue(parser, HandleForm.class).token().resolve();
        }
    }

    /** A UNIX-domain socket address as its path (a listener's address must reach the processes that connect). */
    private static final class UnixAddressDeserializer extends StdScalarDeserializer<UnixDomainSocketAddress> {

        UnixAddressDeserializer() {
            super(UnixDomainSocketAddress.class);
        }

        @Override
        public UnixDomainSocketAddress deserialize(JsonParser parser, DeserializationContext context) {
            return UnixDomainSocketAddress.of(parser.getValueAsString());
        }
    }

    /** Fails the dump of a type JSON cannot carry faithfully, with the reason and what to do. */
    private static final class RefusingSerializer extends ValueSerializer<Object> {

        private final String reason;

        RefusingSerializer(String reason) {
            this.reason = reason;
        }

        @Override
        public void serialize(Object value, JsonGenerator generator, SerializationContext context) {
            throw new ReductionException(reason);
        }

        @Override
        public void serializeWithType(Object value, JsonGenerator generator, SerializationContext context,
                TypeSerializer typeSerializer) {
            serialize(value, generator, context);
        }
    }

    private static final class UntypedKeySerializer extends ValueSerializer<Object> {

        @Override
        public void serialize(Object key, JsonGenerator generator, SerializationContext context) {
            if (!(key instanceof String text)) {
                throw new ReductionException("a map key of type " + key.getClass().getName() + " would come back"
                        + " as a String, since JSON keys carry no type. Declare the key type (e.g. a field of type"
                        + " Map<" + key.getClass().getSimpleName() + ", ...>), use String keys, or use reducer"
                        + " 'kryo'.");
            }
            generator.writeName(text);
        }
    }
}
