package io.multiprocess.reduction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.function.SerializableBiFunction;
import io.multiprocess.function.SerializableFunction;
import java.lang.invoke.SerializedLambda;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SerializedLambdasTest {

    @Test
    void recognisesLambdaClassesOnly() {
        SerializableFunction<Integer, Integer> lambda = x -> x;
        Function<Integer, Integer> reference = Integer::valueOf;

        assertThat(SerializedLambdas.isLambda(lambda.getClass())).isTrue();
        assertThat(SerializedLambdas.isLambda(reference.getClass())).isTrue();
        assertThat(SerializedLambdas.isLambda(Fixtures.Point.class)).isFalse();
        assertThat(SerializedLambdas.isLambda(new Object() { }.getClass())).isFalse();
    }

    @Test
    void takesALambdaApartAndRebuildsIt() throws Exception {
        int factor = 7;
        String label = "x";
        SerializableBiFunction<Integer, Integer, String> lambda = (a, b) -> label + (a * b * factor);

        SerializedLambda form = SerializedLambdas.serialize(lambda);

        assertThat(form.getCapturingClass()).isEqualTo(SerializedLambdasTest.class.getName().replace('.', '/'));
        assertThat(form.getFunctionalInterfaceClass()).isEqualTo("io/multiprocess/function/SerializableBiFunction");
        assertThat(SerializedLambdas.capturedArgs(form)).containsExactly(label, factor);

        SerializedLambda copyForm = SerializedLambdas.form(SerializedLambdasTest.class,
                form.getFunctionalInterfaceClass(), form.getFunctionalInterfaceMethodName(),
                form.getFunctionalInterfaceMethodSignature(), form.getImplMethodKind(), form.getImplClass(),
                form.getImplMethodName(), form.getImplMethodSignature(), form.getInstantiatedMethodType(),
                new Object[] {"y", 2});
        @SuppressWarnings("unchecked")
        SerializableBiFunction<Integer, Integer, String> rebuilt = (SerializableBiFunction<Integer, Integer, String>)
                SerializedLambdas.deserialize(copyForm, SerializedLambdasTest.class);

        assertThat(rebuilt.apply(3, 4)).isEqualTo("y24");
    }

    @Test
    void nonSerializableLambdaIsExplained() {
        Function<String, Integer> plain = String::length;

        assertThatThrownBy(() -> SerializedLambdas.serialize(plain))
                .isInstanceOf(ReductionException.class)
                .hasMessageStartingWith("a lambda for java.util.function.Function in " + getClass().getName()
                        + " is not Serializable")
                .hasMessageContaining("SerializableFunction")
                .hasMessageContaining("(YourInterface & Serializable)");
    }

    @Test
    void mismatchedFormIsReportedAsAClasspathProblem() {
        SerializableFunction<Integer, Integer> lambda = x -> x + 1;
        SerializedLambda form = SerializedLambdas.serialize(lambda);
        SerializedLambda wrong = SerializedLambdas.form(SerializedLambdasTest.class,
                form.getFunctionalInterfaceClass(), form.getFunctionalInterfaceMethodName(),
                form.getFunctionalInterfaceMethodSignature(), form.getImplMethodKind(), form.getImplClass(),
                "lambda$doesNotExist$0", form.getImplMethodSignature(), form.getInstantiatedMethodType(),
                new Object[0]);

        assertThatThrownBy(() -> SerializedLambdas.deserialize(wrong, SerializedLambdasTest.class))
                .isInstanceOf(ReductionException.class)
                .hasMessageContaining("lambda$doesNotExist$0")
                .hasMessageContaining("same classpath");
    }
}
