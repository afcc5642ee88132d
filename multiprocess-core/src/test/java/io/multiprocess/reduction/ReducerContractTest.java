package io.multiprocess.reduction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.function.SerializableBiFunction;
import io.multiprocess.function.SerializableCallable;
import io.multiprocess.function.SerializableFunction;
import io.multiprocess.function.SerializablePredicate;
import io.multiprocess.reduction.Fixtures.Account;
import io.multiprocess.reduction.Fixtures.Color;
import io.multiprocess.reduction.Fixtures.Job;
import io.multiprocess.reduction.Fixtures.Point;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Behaviour every built-in reducer shares, checked for each of them. */
class ReducerContractTest {

    static Stream<Reducer> reducers() {
        return Stream.of(new KryoReducer(), new JavaReducer(), new JacksonReducer());
    }

    static Stream<Arguments> values() {
        List<Object> values = List.of(
                "text", 42, 42L, 1.5d, true, 'c', (short) 7, (byte) 8, 2.5f,
                new Point(1, 2), Color.GREEN,
                new int[] {1, 2, 3}, new String[] {"a", null, "b"},
                new ArrayList<>(List.of(1, "two", 3L)), new HashMap<>(Map.of("k", new Point(3, 4))),
                new TreeMap<>(Map.of("b", 2, "a", 1)), new LinkedHashMap<>(Map.of("red", List.of(Color.RED))),
                List.of(1, 2, 3), Map.of("a", 1), Set.of("x"), Arrays.asList("p", "q"),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                Instant.ofEpochSecond(1_700_000_000L, 123_456_789), LocalDate.of(2024, 2, 29),
                LocalDateTime.of(2024, 2, 29, 12, 30), Duration.ofMillis(1500),
                ZonedDateTime.parse("2024-02-29T12:30:00Z"),
                new Account("ann", 10L).add(new Point(5, 6)).add(7L).add(List.of("x")));
        List<Reducer> reducers = reducers().toList();
        return reducers.stream().flatMap(reducer -> values.stream().map(value -> Arguments.of(reducer, value)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("values")
    void dataRoundTripsWithItsRuntimeType(Reducer reducer, Object value) {
        Object copy = reducer.loads(reducer.dumps(value));

        assertThat(copy).usingRecursiveComparison().isEqualTo(value);
        if (!value.getClass().isArray()) {
            assertThat(copy).isEqualTo(value);
        }
        // JSON cannot rebuild the JDK's private collection classes; the other reducers keep even those.
        if (!(value instanceof Collection || value instanceof Map) || !(reducer instanceof JacksonReducer)) {
            assertThat(copy).isInstanceOf(value.getClass());
        }
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void nullRoundTrips(Reducer reducer) {
        assertThat(reducer.loads(reducer.dumps(null))).isNull();
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void loadsReadsFromAnOffset(Reducer reducer) {
        byte[] bytes = reducer.dumps(new Point(7, 8));
        byte[] padded = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);

        assertThat(reducer.loads(padded, 3, bytes.length)).isEqualTo(new Point(7, 8));
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void lambdaKeepsItsCapturedValuesAndRuns(Reducer reducer) throws Exception {
        int factor = 6;
        String prefix = "n=";
        Point offset = new Point(10, 0);
        SerializableFunction<Integer, String> lambda = x -> prefix + (x * factor + offset.x());

        @SuppressWarnings("unchecked")
        SerializableFunction<Integer, String> copy = (SerializableFunction<Integer, String>)
                reducer.loads(reducer.dumps(lambda));

        assertThat(copy.apply(7)).isEqualTo("n=52");
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void lambdaCapturingAnotherLambdaRuns(Reducer reducer) throws Exception {
        SerializableFunction<Integer, Integer> inner = x -> x + 1;
        SerializableCallable<Integer> outer = () -> inner.apply(41);

        assertThat(((Callable<?>) reducer.loads(reducer.dumps(outer))).call()).isEqualTo(42);
    }

    @ParameterizedTest
    @MethodSource("reducers")
    @SuppressWarnings("unchecked")
    void methodReferencesRun(Reducer reducer) throws Exception {
        SerializableFunction<Integer, Integer> staticRef = Fixtures::triple;
        SerializableBiFunction<String, Integer, Character> unboundRef = String::charAt;
        String text = "hello";
        SerializablePredicate<String> boundRef = text::startsWith;

        assertThat(((SerializableFunction<Integer, Integer>) reducer.loads(reducer.dumps(staticRef))).apply(5))
                .isEqualTo(15);
        assertThat(((SerializableBiFunction<String, Integer, Character>) reducer.loads(reducer.dumps(unboundRef)))
                .apply("abc", 1)).isEqualTo('b');
        assertThat(((SerializablePredicate<String>) reducer.loads(reducer.dumps(boundRef))).test("he")).isTrue();
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void lambdaAsAFieldOfAnotherObjectRuns(Reducer reducer) throws Exception {
        int bonus = 100;
        Job job = new Job("result ", x -> x + bonus);

        assertThat(((Job) reducer.loads(reducer.dumps(job))).run(1)).isEqualTo("result 101");
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void lambdasInACollectionRun(Reducer reducer) throws Exception {
        int base = 10;
        List<Object> tasks = new ArrayList<>(List.of(
                (SerializableFunction<Integer, Integer>) x -> x + base,
                (SerializableFunction<Integer, Integer>) x -> x * base));

        @SuppressWarnings("unchecked")
        List<SerializableFunction<Integer, Integer>> copy = (List<SerializableFunction<Integer, Integer>>)
                reducer.loads(reducer.dumps(tasks));

        assertThat(copy.get(0).apply(2)).isEqualTo(12);
        assertThat(copy.get(1).apply(2)).isEqualTo(20);
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void intersectionCastLambdaRuns(Reducer reducer) {
        int n = 2;
        Function<Integer, Integer> lambda = (Function<Integer, Integer> & java.io.Serializable) x -> x * n;

        @SuppressWarnings("unchecked")
        Function<Integer, Integer> copy = (Function<Integer, Integer>) reducer.loads(reducer.dumps(lambda));

        assertThat(copy.apply(21)).isEqualTo(42);
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void nonSerializableLambdaIsRejectedWithAHint(Reducer reducer) {
        int n = 2;
        Function<Integer, Integer> plain = x -> x * n;

        assertThatThrownBy(() -> reducer.dumps(plain))
                .isInstanceOf(ReductionException.class)
                .hasMessageContaining("reducer '" + reducer.name() + "'")
                .hasMessageContaining("java.util.function.Function")
                .hasMessageContaining("is not Serializable")
                .hasMessageContaining("io.multiprocess.function")
                .hasMessageContaining("& Serializable");
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void nonSerializableLambdaInAFieldIsRejectedWithItsPath(Reducer reducer) {
        Function<Integer, Integer> plain = x -> x + 1;
        Fixtures.Wrapper wrapper = new Fixtures.Wrapper(new Fixtures.Holder(plain));

        assertThatThrownBy(() -> reducer.dumps(wrapper))
                .isInstanceOf(ReductionException.class)
                .hasMessageContaining("Cannot reduce a value of type " + Fixtures.Wrapper.class.getName())
                .hasMessageContaining("reducer '" + reducer.name() + "'")
                .hasMessageContaining("Fixtures$Wrapper.holder -> Fixtures$Holder.payload")
                .hasMessageContaining("is not Serializable");
    }

    @ParameterizedTest
    @MethodSource("reducers")
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void garbageFailsWithReductionException(Reducer reducer) {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            try {
                reducer.loads(garbage);
            } catch (ReductionException expected) {
                assertThat(expected).hasMessageContaining("reducer '" + reducer.name() + "'");
            }
        }
        assertThatThrownBy(() -> reducer.loads(new byte[0])).isInstanceOf(ReductionException.class);
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void truncatedBytesFailWithReductionException(Reducer reducer) {
        byte[] bytes = reducer.dumps(new Account("bob", 3L).add(new Point(1, 1)));

        assertThatThrownBy(() -> reducer.loads(bytes, 0, bytes.length / 2))
                .isInstanceOf(ReductionException.class)
                .hasMessageContaining("reducer '" + reducer.name() + "'");
    }

    @ParameterizedTest
    @MethodSource("reducers")
    void missingClassIsNamedWithAClasspathHint(Reducer reducer) {
        // Renaming the class inside the bytes stands for a child whose classpath lacks it.
        byte[] bytes = renamed(reducer.dumps(new Point(1, 2)), "Fixtures$Poi", "Fixtures$Gho");

        assertThatThrownBy(() -> reducer.loads(bytes))
                .isInstanceOf(ReductionException.class)
                .hasMessageContaining("io.multiprocess.reduction.Fixtures$Ghont")
                .hasMessageContaining("reducer '" + reducer.name() + "'")
                .hasMessageContaining("same classpath");
    }

    @ParameterizedTest
    @MethodSource("reducers")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void manyThreadsDumpAndLoadConcurrently(Reducer reducer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        int n = seed * 1000 + i;
                        Account account = new Account("t" + seed, n).add(new Point(n, -n)).add(List.of(n));
                        SerializableFunction<Integer, Integer> lambda = x -> x + n;
                        Account accountCopy = (Account) reducer.loads(reducer.dumps(account));
                        @SuppressWarnings("unchecked")
                        SerializableFunction<Integer, Integer> lambdaCopy =
                                (SerializableFunction<Integer, Integer>) reducer.loads(reducer.dumps(lambda));
                        if (!accountCopy.equals(account) || lambdaCopy.apply(1) != n + 1) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] renamed(byte[] bytes, String from, String to) {
        byte[] target = from.getBytes(StandardCharsets.US_ASCII);
        byte[] copy = bytes.clone();
        for (int i = 0; i + target.length <= copy.length; i++) {
            if (Arrays.equals(copy, i, i + target.length, target, 0, target.length)) {
                System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, copy, i, target.length);
            }
        }
        return copy;
    }
}
