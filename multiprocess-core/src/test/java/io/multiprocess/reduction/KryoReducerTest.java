package io.multiprocess.reduction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.function.SerializableCallable;
import io.multiprocess.function.SerializableFunction;
import io.multiprocess.reduction.Fixtures.Holder;
import io.multiprocess.reduction.Fixtures.Plain;
import io.multiprocess.reduction.Fixtures.Point;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KryoReducerTest {

    private final KryoReducer reducer = new KryoReducer();

    @SuppressWarnings("unchecked")
    private <T> T roundTrip(T value) {
        return (T) reducer.loads(reducer.dumps(value));
    }

    @Test
    void collectionsOfNullsComeBackThoughKryoWritesThemInOneByte() {
        List<Object> twoNulls = new ArrayList<>(Arrays.asList(null, null));
        assertThat(reducer.loads(reducer.dumps(twoNulls))).isEqualTo(twoNulls);
        assertThat(reducer.loads(reducer.dumps(Arrays.asList(null, null, null)))).isEqualTo(Arrays.asList(null, null,
                null));
        List<Object> many = new ArrayList<>(Collections.nCopies(100_000, null));
        assertThat(reducer.loads(reducer.dumps(many))).isEqualTo(many);
    }

    @Test
    void moreNullsThanAMessageMayHoldBeyondItsBytesAreRefusedBeforeTheListIsMade() {
        List<Object> tooMany = new ArrayList<>(Collections.nCopies(KryoBoundedInput.NULLS_PER_MESSAGE + 1, null));
        byte[] bytes = reducer.dumps(tooMany);
        assertThat(bytes).as("a size and a byte, whatever the size").hasSizeLessThan(64);
        assertThatThrownBy(() -> reducer.loads(bytes)).isInstanceOf(ReductionException.class)
                .hasMessageContaining("cannot fit");
    }

    @Test
    void isNamedKryo() {
        assertThat(reducer.name()).isEqualTo("kryo");
    }

    @Test
    void classWithoutSerializableOrNoArgConstructorRoundTrips() {
        Plain copy = roundTrip(new Plain("p", 1, 2, 3));

        assertThat(copy.name()).isEqualTo("p");
        assertThat(copy.values()).containsExactly(1, 2, 3);
    }

    @Test
    void aNoArgConstructorRunsOnLoadEvenWhenPrivateSoTransientFieldsAreSetUp() {
        WithConstructor copy = roundTrip(new WithConstructor("kept"));

        assertThat(copy.value).isEqualTo("kept");
        assertThat(copy.cache).isNotNull().isEmpty();
    }

    @Test
    void aConstructorThatThrowsFailsTheLoadWithItsCause() {
        byte[] bytes = reducer.dumps(new RefusesToLoad(false));

        assertThatThrownBy(() -> reducer.loads(bytes)).isInstanceOf(ReductionException.class)
                .hasStackTraceContaining("refused in the constructor");
    }

    /** A transient field only the constructor sets up, as a cache would be. */
    static final class WithConstructor {
        String value;
        transient java.util.Map<String, String> cache;

        private WithConstructor() {
            cache = new java.util.HashMap<>();
        }

        WithConstructor(String value) {
            this();
            this.value = value;
        }
    }

    static final class RefusesToLoad {
        boolean made;

        RefusesToLoad() {
            throw new IllegalStateException("refused in the constructor");
        }

        RefusesToLoad(boolean made) {
            this.made = made;
        }
    }

    @Test
    void lambdaCapturingANonSerializableObjectRuns() throws Exception {
        Plain plain = new Plain("x", 4, 5);
        SerializableCallable<Integer> task = () -> plain.values()[0] + plain.values()[1];

        assertThat(roundTrip(task).call()).isEqualTo(9);
    }

    static List<Object> jdkCollections() {
        return List.of(Collections.unmodifiableList(new ArrayList<>(List.of(1, 2))),
                Collections.unmodifiableList(new java.util.LinkedList<>(List.of(1, 2))),
                Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of("a", "b"))),
                Collections.unmodifiableMap(new java.util.HashMap<>(Map.of("k", 1))),
                Collections.unmodifiableCollection(new ArrayList<>(List.of(3))),
                Collections.unmodifiableSortedSet(new TreeSet<>(List.of(3, 1, 2))),
                Collections.unmodifiableNavigableMap(new TreeMap<>(Map.of(2, "b", 1, "a"))),
                Collections.emptyList(), Collections.emptyMap(), Collections.emptySet(),
                Collections.singletonList(1), Collections.singletonMap("a", 1), Collections.singleton("s"),
                Arrays.asList(1, 2), List.of(), List.of(1), List.of(1, 2, 3), Set.of(1, 2), Map.of("a", 1, "b", 2),
                Optional.of("x"), Optional.empty());
    }

    @ParameterizedTest
    @MethodSource("jdkCollections")
    void jdkCollectionsKeepTheirClass(Object value) {
        Object copy = roundTrip(value);

        assertThat(copy).hasSameClassAs(value);
        // Collections.unmodifiableCollection inherits identity equals from Object.
        if (value instanceof Collection<?> collection && !(value instanceof List || value instanceof Set)) {
            assertThat(List.copyOf((Collection<?>) copy)).isEqualTo(List.copyOf(collection));
        } else {
            assertThat(copy).isEqualTo(value);
        }
    }

    @Test
    void unmodifiableViewsStayUnmodifiableAndKeepTheirComparator() {
        TreeSet<String> sorted = new TreeSet<>(Comparator.reverseOrder());
        sorted.addAll(List.of("a", "c", "b"));

        Set<String> copy = roundTrip(Collections.unmodifiableSortedSet(sorted));

        assertThat(copy).containsExactly("c", "b", "a");
        assertThatThrownBy(() -> copy.add("d")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sharedReferencesAndCyclesSurvive() {
        List<Object> list = new ArrayList<>();
        Point shared = new Point(1, 1);
        list.add(shared);
        list.add(shared);
        list.add(list);

        List<Object> copy = roundTrip(list);

        assertThat(copy.get(0)).isSameAs(copy.get(1));
        assertThat(copy.get(2)).isSameAs(copy);
    }

    @Test
    void throwableKeepsMessageCauseStackTraceAndSuppressed() {
        IllegalStateException failure = new IllegalStateException("outer", new IOException("inner"));
        failure.addSuppressed(new IllegalArgumentException("suppressed"));

        IllegalStateException copy = roundTrip(failure);

        assertThat(copy).hasMessage("outer");
        assertThat(copy.getCause()).isInstanceOf(IOException.class).hasMessage("inner");
        assertThat(copy.getSuppressed()).singleElement().isInstanceOf(IllegalArgumentException.class)
                .extracting(Throwable::getMessage).isEqualTo("suppressed");
        assertThat(copy.getStackTrace()).isEqualTo(failure.getStackTrace()).isNotEmpty();
    }

    @Test
    void reductionExceptionTravelsBackAsItself() {
        ReductionException copy = roundTrip(new ReductionException("remote", new RuntimeException("why")));

        assertThat(copy).hasMessage("remote").hasCauseInstanceOf(RuntimeException.class);
    }

    // Built in static methods: an anonymous class in an instance method also captures the test instance.
    private static SerializableCallable<String> anonymousTask(int base, String suffix) {
        return new SerializableCallable<>() {
            @Override
            public String call() {
                return (base + 2) + suffix;
            }
        };
    }

    private static Callable<Integer> anonymousPlainTask(List<Integer> numbers) {
        return new Callable<>() {
            @Override
            public Integer call() {
                return numbers.stream().mapToInt(Integer::intValue).sum();
            }
        };
    }

    @Test
    void anonymousClassKeepsItsCapturedValues() throws Exception {
        assertThat(roundTrip(anonymousTask(40, "!")).call()).isEqualTo("42!");
    }

    @Test
    void anonymousPlainCallableKeepsItsCapturedValues() throws Exception {
        assertThat(roundTrip(anonymousPlainTask(List.of(1, 2, 3))).call()).isEqualTo(6);
    }

    @Test
    void anonymousClassCapturingAnUnreducibleOuterInstanceFailsClearly() {
        Callable<Integer> task = new Callable<>() {
            @Override
            public Integer call() {
                return 1;
            }
        };

        assertThatThrownBy(() -> reducer.dumps(task))
                .isInstanceOf(ReductionException.class)
                .hasMessageContaining("field path: KryoReducerTest$3.this$0 -> KryoReducerTest.reducer");
    }

    @Test
    void failureNamesTypeFieldPathReducerAndHint() {
        Fixtures.Wrapper wrapper = new Fixtures.Wrapper(new Holder(new Thread()));

        assertThatThrownBy(() -> reducer.dumps(wrapper))
                .isInstanceOf(ReductionException.class)
                .hasMessageStartingWith("Cannot reduce a value of type " + Fixtures.Wrapper.class.getName()
                        + " with reducer 'kryo' (field path: Fixtures$Wrapper.holder -> Fixtures$Holder.payload")
                .hasMessageContaining("Make the field transient");
    }

    @Test
    void failureInsideALambdaNamesTheCapturedArgument() {
        Thread thread = new Thread();
        SerializableFunction<Integer, String> task = x -> thread.getName() + x;

        assertThatThrownBy(() -> reducer.dumps(task))
                .isInstanceOf(ReductionException.class)
                .hasMessageContaining("a lambda for io.multiprocess.function.SerializableFunction")
                .hasMessageContaining("field path: KryoReducerTest$$Lambda.arg$1")
                .hasMessageContaining("reducer 'kryo'");
    }

    @Test
    void aReducerStillWorksAfterAFailure() {
        assertThatThrownBy(() -> reducer.dumps(new Holder(new Thread()))).isInstanceOf(ReductionException.class);
        assertThatThrownBy(() -> reducer.loads(new byte[] {1, 2, 3})).isInstanceOf(ReductionException.class);

        assertThat(roundTrip(new Point(1, 2))).isEqualTo(new Point(1, 2));
    }
}
