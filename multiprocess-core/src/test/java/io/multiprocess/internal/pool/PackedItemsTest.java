package io.multiprocess.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Chunks of one common type travel as one array, with every reducer, and come back equal; others as they are. */
class PackedItemsTest {

    static Stream<Arguments> chunks() {
        List<List<?>> chunks = List.of(
                List.of(1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, 1000),
                List.of(3L, Long.MIN_VALUE, Long.MAX_VALUE),
                List.of(0.5, -0.0, Double.NaN, Double.MAX_VALUE),
                List.of("a", "", "ünïcode ✓"),
                new ArrayList<>(List.of(1, 2L, "three")),
                Arrays.asList(1, null, 3),
                List.of(new Point(1, 2), new Point(3, 4)),
                List.of(),
                new LinkedList<>(List.of(7, 8)));
        List<PackedItems> expectedForm = List.of(
                new PackedItems.Ints(new int[0]), new PackedItems.Longs(new long[0]),
                new PackedItems.Doubles(new double[0]), new PackedItems.Strings(new String[0]),
                new PackedItems.Mixed(List.of()), new PackedItems.Mixed(List.of()), new PackedItems.Mixed(List.of()),
                new PackedItems.Mixed(List.of()), new PackedItems.Mixed(List.of()));
        List<Arguments> arguments = new ArrayList<>();
        for (String reducer : List.of("kryo", "java", "jackson")) {
            for (int i = 0; i < chunks.size(); i++) {
                arguments.add(Arguments.of(reducer, chunks.get(i), expectedForm.get(i).getClass()));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("chunks")
    void aChunkTravelsInItsCompactFormAndComesBackEqual(String reducerName, List<?> items,
            Class<? extends PackedItems> form) {
        Reducer reducer = Reducers.byName(reducerName);

        PackedItems packed = PackedItems.pack(items);
        List<Object> back = ((PackedItems) reducer.loads(reducer.dumps(packed))).unpack();

        assertThat(packed).isInstanceOf(form);
        assertThat(back).isEqualTo(items);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reducers")
    void bytesTravelAsOneArrayOfArrays(String reducerName) {
        Reducer reducer = Reducers.byName(reducerName);
        List<byte[]> items = List.of(new byte[] {1, 2, 3}, new byte[0], new byte[] {-1});

        PackedItems packed = PackedItems.pack(items);
        List<Object> back = ((PackedItems) reducer.loads(reducer.dumps(packed))).unpack();

        assertThat(packed).isInstanceOf(PackedItems.Bytes.class);
        assertThat(back).hasSize(3);
        for (int i = 0; i < items.size(); i++) {
            assertThat((byte[]) back.get(i)).isEqualTo(items.get(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reducers")
    void aTaskBatchCarriesItsFunctionAndPackedItems(String reducerName) throws Exception {
        Reducer reducer = Reducers.byName(reducerName);
        io.multiprocess.function.SerializableFunction<Object, Object> twice = x -> (Integer) x * 2;

        TaskBatch batch = (TaskBatch) reducer.loads(reducer.dumps(new TaskBatch(twice, List.of(1, 2, 3))));

        assertThat(batch.packed()).isInstanceOf(PackedItems.Ints.class);
        List<Object> results = new ArrayList<>();
        for (Object item : batch.items()) {
            results.add(batch.function().apply(item));
        }
        assertThat(results).containsExactly(2, 4, 6);
    }

    static Stream<String> reducers() {
        return Stream.of("kryo", "java", "jackson");
    }

    /** A record of the test's own: items of no packed type travel as they are. */
    record Point(int x, int y) implements java.io.Serializable {
    }
}
