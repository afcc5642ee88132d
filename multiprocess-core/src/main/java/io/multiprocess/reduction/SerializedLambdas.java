package io.multiprocess.reduction;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Takes serializable lambdas apart into {@link SerializedLambda}s and puts them back together, the way JDK
 * serialization does, for the reducers that do not use JDK serialization.
 *
 * <p>Kryo's own {@code ClosureSerializer} calls {@code SerializedLambda.readResolve} reflectively, which needs
 * {@code --add-opens java.base/java.lang.invoke=ALL-UNNAMED}. This helper only touches members of the user's
 * classes instead: the lambda class's private {@code writeReplace} method and the capturing class's private
 * static {@code $deserializeLambda$} method. Both live in the user's module (normally the unnamed one, which is
 * open), so no JVM flag is needed.
 *
 * <pre>{@code
 * SerializedLambda form = SerializedLambdas.serialize(lambda);
 * Object copy = SerializedLambdas.deserialize(form);
 * }</pre>
 */
final class SerializedLambdas {

    private static final ClassValue<Method> WRITE_REPLACE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> lambdaClass) {
            return accessibleMethod(lambdaClass, "writeReplace");
        }
    };

    private static final ClassValue<Method> DESERIALIZE_LAMBDA = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> capturingClass) {
            return accessibleMethod(capturingClass, "$deserializeLambda$", SerializedLambda.class);
        }
    };

    private SerializedLambdas() {
    }

    /** Whether {@code type} is the class the JVM spins up for a lambda or method reference. */
    static boolean isLambda(Class<?> type) {
        // Lambda classes are hidden classes; their names end in "/<address>", which no other class has.
        return type.isSynthetic() && type.getName().contains("$$Lambda");
    }

    /**
     * The serialized form of a lambda.
     *
     * @throws ReductionException if the lambda is not serializable
     */
    static SerializedLambda serialize(Object lambda) {
        Class<?> type = lambda.getClass();
        if (!(lambda instanceof Serializable)) {
            throw new ReductionException(notSerializableMessage(type));
        }
        try {
            return (SerializedLambda) WRITE_REPLACE.get(type).invoke(lambda);
        } catch (InvocationTargetException | IllegalAccessException | RuntimeException e) {
            throw new ReductionException("Cannot take apart " + describe(type) + ": " + ReductionFailures.rootMessage(e)
                    + ". Its capturing class must be in the unnamed module or in a module open to this library.", e);
        }
    }

    /**
     * Rebuilds a lambda from its serialized form by calling its capturing class's {@code $deserializeLambda$}.
     *
     * @throws ReductionException if the capturing class no longer has a matching lambda (different classpath)
     */
    static Object deserialize(SerializedLambda form, Class<?> capturingClass) {
        try {
            return DESERIALIZE_LAMBDA.get(capturingClass).invoke(null, form);
        } catch (InvocationTargetException | IllegalAccessException | RuntimeException e) {
            throw new ReductionException("Cannot rebuild a lambda implemented by " + form.getImplClass().replace('/', '.')
                    + "." + form.getImplMethodName() + " for " + form.getFunctionalInterfaceClass().replace('/', '.')
                    + ": " + ReductionFailures.rootMessage(e) + ". " + ReductionFailures.SAME_CLASSPATH_HINT, e);
        }
    }

    /** Builds a serialized form from its parts, as read from bytes; class names use '/' as in the JVM. */
    static SerializedLambda form(Class<?> capturingClass, String functionalInterfaceClass,
            String functionalInterfaceMethodName, String functionalInterfaceMethodSignature, int implMethodKind,
            String implClass, String implMethodName, String implMethodSignature, String instantiatedMethodType,
            Object[] capturedArgs) {
        return new SerializedLambda(capturingClass, functionalInterfaceClass, functionalInterfaceMethodName,
                functionalInterfaceMethodSignature, implMethodKind, implClass, implMethodName, implMethodSignature,
                instantiatedMethodType, capturedArgs);
    }

    /** The captured values of a serialized form, in order. */
    static Object[] capturedArgs(SerializedLambda form) {
        Object[] args = new Object[form.getCapturedArgCount()];
        for (int i = 0; i < args.length; i++) {
            args[i] = form.getCapturedArg(i);
        }
        return args;
    }

    /** The capturing class's name in '.' form, ready for {@link Class#forName(String, boolean, ClassLoader)}. */
    static String capturingClassName(SerializedLambda form) {
        return form.getCapturingClass().replace('/', '.');
    }

    /** What to tell the user when a lambda of {@code lambdaClass} is not Serializable. */
    static String notSerializableMessage(Class<?> lambdaClass) {
        return describe(lambdaClass) + " is not Serializable. Type it as one of the io.multiprocess.function"
                + " interfaces (SerializableRunnable, SerializableCallable, SerializableFunction,"
                + " SerializableBiFunction, SerializableConsumer, SerializablePredicate), or cast it with"
                + " (YourInterface & Serializable)";
    }

    /** A lambda class as users know it, e.g. "a lambda for java.util.function.Function in com.x.Main". */
    static String describe(Class<?> lambdaClass) {
        String name = lambdaClass.getName();
        String capturing = name.substring(0, name.indexOf("$$Lambda"));
        StringBuilder interfaces = new StringBuilder();
        for (Class<?> implemented : lambdaClass.getInterfaces()) {
            if (implemented != Serializable.class) {
                interfaces.append(interfaces.length() == 0 ? "" : " & ").append(implemented.getName());
            }
        }
        return "a lambda for " + interfaces + " in " + capturing;
    }

    private static Method accessibleMethod(Class<?> owner, String name, Class<?>... parameterTypes) {
        try {
            Method method = owner.getDeclaredMethod(name, parameterTypes);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(owner.getName() + " has no method " + name, e);
        }
    }
}
