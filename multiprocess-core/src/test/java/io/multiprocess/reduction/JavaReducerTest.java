package io.multiprocess.reduction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.function.SerializableCallable;
import io.multiprocess.reduction.Fixtures.Holder;
import io.multiprocess.reduction.Fixtures.Plain;
import io.multiprocess.reduction.Fixtures.Wrapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaReducerTest {

    private final JavaReducer reducer = new JavaReducer();

    @Test
    void isNamedJava() {
        assertThat(reducer.name()).isEqualTo("java");
    }

    @Test
    void notSerializableFieldIsNamedWithItsPathAndTheHint() {
        Wrapper wrapper = new Wrapper(new Holder(new Plain("p")));

        assertThatThrownBy(() -> reducer.dumps(wrapper))
                .isInstanceOf(ReductionException.class)
                .hasMessage("Cannot reduce a value of type " + Wrapper.class.getName() + " with reducer 'java'"
                        + " (field path: Fixtures$Wrapper.holder -> Fixtures$Holder.payload): "
                        + Plain.class.getName() + " is not Serializable. Make it Serializable or use reducer 'kryo'.");
    }

    @Test
    void pathLeadsThroughCollectionsAndCapturedValues() {
        Plain plain = new Plain("p");
        SerializableCallable<String> task = plain::name;
        List<Object> tasks = new ArrayList<>(List.of("ok", task));

        assertThatThrownBy(() -> reducer.dumps(tasks))
                .isInstanceOf(ReductionException.class)
                .hasMessageContaining("field path: ArrayList[1] -> JavaReducerTest$$Lambda.arg$1)")
                .hasMessageContaining(Plain.class.getName() + " is not Serializable");
    }

    @Test
    void throwableKeepsCauseAndSuppressed() {
        IllegalStateException failure = new IllegalStateException("outer", new IOException("inner"));
        failure.addSuppressed(new IllegalArgumentException("suppressed"));

        IllegalStateException copy = (IllegalStateException) reducer.loads(reducer.dumps(failure));

        assertThat(copy).hasMessage("outer").hasCauseInstanceOf(IOException.class);
        assertThat(copy.getSuppressed()).hasSize(1);
        assertThat(copy.getStackTrace()).isEqualTo(failure.getStackTrace());
    }

    @Test
    void unmodifiableViewsKeepTheirClass() {
        List<Integer> view = Collections.unmodifiableList(new ArrayList<>(List.of(1, 2)));

        assertThat(reducer.loads(reducer.dumps(view))).hasSameClassAs(view).isEqualTo(view);
    }

    @Test
    void primitiveClassLiteralsRoundTrip() {
        assertThat(reducer.loads(reducer.dumps(new Class<?>[] {int.class, String.class})))
                .isEqualTo(new Class<?>[] {int.class, String.class});
    }
}
