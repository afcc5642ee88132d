package io.multiprocess.reduction;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.invoke.SerializedLambda;

/**
 * Writes lambdas and method references as their {@link SerializedLambda} parts, with captured values written by
 * Kryo itself, so captured objects need not be Serializable. Registered for Kryo's {@code ClosureSerializer.Closure}
 * class, which Kryo uses for every lambda class.
 */
final class KryoLambdaSerializer extends Serializer<Object> {

    @Override
    public void write(Kryo kryo, Output output, Object lambda) {
        SerializedLambda form = SerializedLambdas.serialize(lambda);
        output.writeString(form.getCapturingClass());
        output.writeString(form.getFunctionalInterfaceClass());
        output.writeString(form.getFunctionalInterfaceMethodName());
        output.writeString(form.getFunctionalInterfaceMethodSignature());
        output.writeVarInt(form.getImplMethodKind(), true);
        output.writeString(form.getImplClass());
        output.writeString(form.getImplMethodName());
        output.writeString(form.getImplMethodSignature());
        output.writeString(form.getInstantiatedMethodType());
        output.writeVarInt(form.getCapturedArgCount(), true);
        for (int i = 0; i < form.getCapturedArgCount(); i++) {
            try {
                kryo.writeClassAndObject(output, form.getCapturedArg(i));
            } catch (RuntimeException e) {
                // Same "field (owner)" shape as Kryo's FieldSerializer, so the reducer can show a field path.
                KryoException traced = e instanceof KryoException kryoException ? kryoException : new KryoException(e);
                traced.addTrace("arg$" + (i + 1) + " (" + lambda.getClass().getName() + ")");
                throw traced;
            }
        }
    }

    @Override
    public Object read(Kryo kryo, Input input, Class<?> type) {
        String capturingClass = input.readString();
        String functionalInterfaceClass = input.readString();
        String functionalInterfaceMethodName = input.readString();
        String functionalInterfaceMethodSignature = input.readString();
        int implMethodKind = input.readVarInt(true);
        String implClass = input.readString();
        String implMethodName = input.readString();
        String implMethodSignature = input.readString();
        String instantiatedMethodType = input.readString();
        int captured = input.readVarInt(true);
        KryoBoundedInput.claim(input, captured, "a lambda's captured values");
        Object[] capturedArgs = new Object[captured];
        for (int i = 0; i < capturedArgs.length; i++) {
            capturedArgs[i] = kryo.readClassAndObject(input);
        }
        Class<?> capturing;
        try {
            capturing = Class.forName(capturingClass.replace('/', '.'), false, kryo.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new KryoException("Unable to find class: " + capturingClass, e);
        }
        return SerializedLambdas.deserialize(SerializedLambdas.form(capturing, functionalInterfaceClass,
                functionalInterfaceMethodName, functionalInterfaceMethodSignature, implMethodKind, implClass,
                implMethodName, implMethodSignature, instantiatedMethodType, capturedArgs), capturing);
    }
}
