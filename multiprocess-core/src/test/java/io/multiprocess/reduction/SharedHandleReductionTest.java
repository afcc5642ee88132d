package io.multiprocess.reduction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.function.SerializableCallable;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reducer sends a shared handle as its token and rebuilds it through the token, wherever it sits. */
class SharedHandleReductionTest {

    /** A handle whose fields are deliberately not reducible: only its token may travel. */
    static final class Resource implements SharedHandle {
        final String name;
        final boolean resolved;
        final Thread notReducible = new Thread(() -> { });

        Resource(String name, boolean resolved) {
            this.name = name;
            this.resolved = resolved;
        }

        @Override
        public HandleToken token() {
            if (name.isEmpty()) {
                throw new ReductionException("this resource refuses to travel");
            }
            return new Token(name);
        }
    }

    record Token(String name) implements HandleToken {
        @Override
        public SharedHandle resolve() {
            return new Resource(name, true);
        }
    }

    record Holder(Resource resource, List<Object> more) implements java.io.Serializable {
    }

    static Stream<Reducer> reducers() {
        return ReducerContractTest.reducers();
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void aHandleTravelsAsItsTokenAtTheRootInFieldsCollectionsAndLambdas(Reducer reducer) {
        Resource queue = new Resource("queue-1", false);

        Resource root = (Resource) reducer.loads(reducer.dumps(queue));
        Holder holder = (Holder) reducer.loads(reducer.dumps(new Holder(queue, List.of(new Resource("lock-2", false)))));
        SerializableCallable<String> task = () -> queue.name + "/" + queue.resolved;
        @SuppressWarnings("unchecked")
        SerializableCallable<String> copy = (SerializableCallable<String>) reducer.loads(reducer.dumps(task));

        assertThat(root.name).isEqualTo("queue-1");
        assertThat(root.resolved).isTrue();
        assertThat(holder.resource().resolved).isTrue();
        assertThat(((Resource) holder.more().get(0)).name).isEqualTo("lock-2");
        assertThat(((Resource) holder.more().get(0)).resolved).isTrue();
        assertThat(call(copy)).isEqualTo("queue-1/true");
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void aHandleThatRefusesToTravelFailsTheDumpWithItsReason(Reducer reducer) {
        assertThatThrownBy(() -> reducer.dumps(new Holder(new Resource("", false), List.of())))
                .isInstanceOf(ReductionException.class)
                .hasMessageContaining("this resource refuses to travel");
    }

    private static String call(SerializableCallable<String> callable) {
        try {
            return callable.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
