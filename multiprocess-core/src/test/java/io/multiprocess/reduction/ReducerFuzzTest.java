package io.multiprocess.reduction;

import io.multiprocess.function.SerializableFunction;
import io.multiprocess.testing.Fuzzing;
import io.multiprocess.testing.Mutation;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Each reducer fed mutated valid encodings of a variety of values, and random bytes: every input loads or fails
 * with a {@link ReductionException}, never anything else, within a deadline, and allocates at most the bound
 * documented for it (docs/architecture.md, "Reducers").
 */
class ReducerFuzzTest {

    /**
     * The bound every reducer keeps for a message of N bytes: what sizes in the message make it allocate is at
     * most a few bytes per byte (see KryoBoundedInput, BoundedObjectInputFilter), and the values actually built
     * from N bytes are at most this many bytes per byte for the JDK's own types.
     */
    static final long BYTES_PER_BYTE = 64;
    /** What a load costs whatever its length: exceptions and their messages, a class looked up by name. */
    static final long FIXED = 2 << 20;

    private static final long SEED = 20261202L;

    record Point(int x, int y) implements Serializable {
    }

    record Person(String name, int age, List<String> tags, Map<String, Integer> scores, int[] codes)
            implements Serializable {
    }

    private static final Reducer KRYO = new KryoReducer();
    private static final Reducer JAVA = new JavaReducer();
    private static final Reducer JACKSON = new JacksonReducer();
    private static final Fuzzing KRYO_FUZZ = new Fuzzing("reducer kryo", ReductionException.class::isInstance);
    private static final Fuzzing JAVA_FUZZ = new Fuzzing("reducer java", ReductionException.class::isInstance);
    private static final Fuzzing JACKSON_FUZZ = new Fuzzing("reducer jackson",
            ReductionException.class::isInstance);
    private static final List<byte[]> KRYO_ENCODINGS = encodings(KRYO);
    private static final List<byte[]> JAVA_ENCODINGS = encodings(JAVA);
    private static final List<byte[]> JACKSON_ENCODINGS = encodings(JACKSON);

    static List<Object> values() {
        int factor = 6;
        SerializableFunction<Integer, Integer> times = x -> x * factor;
        Map<String, Object> nested = new HashMap<>();
        nested.put("list", new ArrayList<>(List.of(1, 2, 300, 70_000, -5)));
        nested.put("points", List.of(new Point(1, 2), new Point(-3, 4)));
        List<Object> deep = new ArrayList<>();
        List<Object> level = deep;
        for (int i = 0; i < 20; i++) {
            List<Object> next = new ArrayList<>();
            level.add(i);
            level.add(next);
            level = next;
        }
        return List.of(
                new Point(3, -4),
                new Person("Ada Lovelace", 36, List.of("math", "engine"), new TreeMap<>(Map.of("a", 1, "b", 2)),
                        new int[] {1, 2, 3}),
                List.of("alpha", "béta", "γάμμα", "𝄞"),
                new ArrayList<>(List.of(1, 2, 300, 70_000, -5)),
                new LinkedList<>(List.of("x", "y")),
                new HashMap<>(Map.of("a", 1, "b", 2, "c", 3)),
                new LinkedHashMap<>(Map.of("k", List.of(1.5, 2.5))),
                new TreeMap<>(Map.of(3, "c", 1, "a", 2, "b")),
                new HashSet<>(Set.of("p", "q", "r")),
                new TreeSet<>(Set.of(5, 1, 3)),
                new PriorityQueue<>(List.of(4, 2, 9)),
                new ArrayDeque<>(List.of('a', 'b')),
                Arrays.asList("as", "list"),
                Collections.unmodifiableList(new ArrayList<>(List.of(7, 8))),
                Map.of("one", 1),
                new int[] {1, 2, 3, 1 << 20, -1},
                new long[] {1L << 40, -7},
                new double[] {0.5, Math.PI},
                new float[] {1.5f},
                new short[] {1, 2},
                "hello".toCharArray(),
                new boolean[] {true, false, true},
                "0123456789abcdef".repeat(8).getBytes(StandardCharsets.US_ASCII),
                new String[] {"x", "yz", null},
                new Object[] {"s", 1, new int[] {5}, null, List.of(), new Point(0, 0)},
                new Point[] {new Point(1, 1), new Point(2, 2)},
                new int[][] {{1}, {2, 3}},
                "a plain ASCII string ".repeat(10),
                "ünïcødé ストリング",
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                12345678901L,
                times,
                new IllegalStateException("boom", new IllegalArgumentException("cause")),
                nested,
                deep);
    }

    private static List<byte[]> encodings(Reducer reducer) {
        List<byte[]> encodings = new ArrayList<>();
        for (Object value : values()) {
            try {
                byte[] bytes = reducer.dumps(value);
                reducer.loads(bytes);
                encodings.add(bytes);
            } catch (ReductionException e) {
                // Not every reducer carries every value (Jackson: exceptions, some collections).
            }
        }
        return encodings;
    }

    @Property(seed = "" + SEED)
    void kryoLoadsOrRefusesMutatedEncodings(@ForAll("kryoMutated") byte[] input) {
        load(KRYO_FUZZ, KRYO, input);
    }

    @Property(seed = "" + SEED)
    void kryoLoadsOrRefusesRandomBytes(@ForAll("random") byte[] input) {
        load(KRYO_FUZZ, KRYO, input);
    }

    @Property(seed = "" + SEED)
    void javaLoadsOrRefusesMutatedEncodings(@ForAll("javaMutated") byte[] input) {
        load(JAVA_FUZZ, JAVA, input);
    }

    @Property(seed = "" + SEED)
    void javaLoadsOrRefusesRandomBytes(@ForAll("javaRandom") byte[] input) {
        load(JAVA_FUZZ, JAVA, input);
    }

    @Property(seed = "" + SEED)
    void jacksonLoadsOrRefusesMutatedEncodings(@ForAll("jacksonMutated") byte[] input) {
        load(JACKSON_FUZZ, JACKSON, input);
    }

    @Property(seed = "" + SEED)
    void jacksonLoadsOrRefusesRandomBytes(@ForAll("random") byte[] input) {
        load(JACKSON_FUZZ, JACKSON, input);
    }

    @AfterContainer
    static void report() {
        KRYO_FUZZ.report();
        JAVA_FUZZ.report();
        JACKSON_FUZZ.report();
    }

    static long bound(int length) {
        return BYTES_PER_BYTE * length + FIXED;
    }

    private static void load(Fuzzing fuzzing, Reducer reducer, byte[] input) {
        fuzzing.attempt(input, bound(input.length), () -> {
            reducer.loads(input);
            return "loaded";
        });
    }

    @Provide
    Arbitrary<byte[]> kryoMutated() {
        return mutated(KRYO_ENCODINGS);
    }

    @Provide
    Arbitrary<byte[]> javaMutated() {
        return mutated(JAVA_ENCODINGS);
    }

    @Provide
    Arbitrary<byte[]> jacksonMutated() {
        return mutated(JACKSON_ENCODINGS);
    }

    @Provide
    Arbitrary<byte[]> random() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
    }

    /** Random bytes after JDK serialization's stream header, which random bytes would almost never pass. */
    @Provide
    Arbitrary<byte[]> javaRandom() {
        return random().map(tail -> {
            byte[] input = Arrays.copyOf(new byte[] {(byte) 0xAC, (byte) 0xED, 0, 5}, 4 + tail.length);
            System.arraycopy(tail, 0, input, 4, tail.length);
            return input;
        });
    }

    private static Arbitrary<byte[]> mutated(List<byte[]> encodings) {
        return Combinators.combine(Arbitraries.integers().between(0, encodings.size() - 1), Mutation.some(6))
                .as((index, mutations) -> Mutation.apply(encodings.get(index), mutations));
    }
}
