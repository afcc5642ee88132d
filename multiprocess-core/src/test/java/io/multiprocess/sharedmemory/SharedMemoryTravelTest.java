package io.multiprocess.sharedmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.queues.MpQueue;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.ReductionException;
import io.multiprocess.reduction.Reducers;
import io.multiprocess.testing.FreshContexts;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A SharedMemory travels by name, as in Python: captured by a process's lambda or sent through a queue, it arrives
 * as a handle on the same segment, attached (not owned) by the receiver.
 */
class SharedMemoryTravelTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    final FreshContexts contexts = new FreshContexts();

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void aChildGetsTheSameSegmentFromALambdaAndFromAQueueAndWritesWhatTheParentSees(String reducer)
            throws Exception {
        BaseContext ctx = contexts.create("spawn");
        ctx.setReducer(reducer);
        SharedMemory segment = SharedMemory.create(null, 64);
        MpQueue<SharedMemory> toChild = ctx.queue();
        MpQueue<Object> fromChild = ctx.queue();
        try {
            segment.buffer().put(0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            toChild.put(segment);

            MpProcess child = ctx.process(() -> {
                ByteBuffer captured = segment.buffer();
                byte[] seen = new byte[8];
                captured.get(0, seen);
                captured.put(8, (byte) 42);
                SharedMemory queued = toChild.get(PATIENCE);
                queued.buffer().put(9, (byte) 43);
                fromChild.put(segment.name() + " " + queued.name() + " " + java.util.Arrays.toString(seen)
                        + " " + queued.size());
                fromChild.put(queued);
            });
            child.start();

            assertThat(fromChild.get(PATIENCE)).isEqualTo(segment.name() + " " + segment.name()
                    + " [1, 2, 3, 4, 5, 6, 7, 8] 64");
            SharedMemory back = (SharedMemory) fromChild.get(PATIENCE);
            assertThat(child.join(PATIENCE)).isTrue();
            assertThat(child.exitCode()).isZero();

            assertThat(segment.buffer().get(8)).as("written through the captured handle").isEqualTo((byte) 42);
            assertThat(segment.buffer().get(9)).as("written through the queued handle").isEqualTo((byte) 43);
            assertThat(back.name()).isEqualTo(segment.name());
            assertThat(back.buffer().get(9)).isEqualTo((byte) 43);
            assertThat(Files.exists(SharedMemory.directory().resolve(segment.name())))
                    .as("a child that only attached does not unlink the segment when it exits").isTrue();
        } finally {
            toChild.close();
            fromChild.close();
            segment.close();
            segment.unlink();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void itIsReducedAsItsNameNotItsBytes(String reducerName) {
        Reducer reducer = Reducers.byName(reducerName);
        SharedMemory segment = SharedMemory.create(null, 1 << 20);
        try {
            segment.buffer().put(0, (byte) 7);
            byte[] bytes = reducer.dumps(segment);
            SharedMemory copy = (SharedMemory) reducer.loads(bytes);

            assertThat(bytes.length).as("a name, not a megabyte").isLessThan(1024);
            assertThat(copy.name()).isEqualTo(segment.name());
            assertThat(copy.size()).isEqualTo(1 << 20);
            assertThat(copy.buffer().get(0)).isEqualTo((byte) 7);
        } finally {
            segment.unlink();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void aSegmentUnlinkedBeforeItArrivesFailsTheLoadNamingIt(String reducerName) {
        Reducer reducer = Reducers.byName(reducerName);
        SharedMemory segment = SharedMemory.create(null, 64);
        byte[] bytes = reducer.dumps(segment);
        segment.unlink();

        assertThatThrownBy(() -> reducer.loads(bytes)).isInstanceOf(ReductionException.class)
                .hasMessageContaining("cannot attach")
                .hasMessageContaining("no shared memory segment named '" + segment.name() + "'");
    }
}
