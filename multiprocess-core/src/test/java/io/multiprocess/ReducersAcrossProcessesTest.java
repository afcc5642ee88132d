package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.reduction.ReductionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import io.multiprocess.testing.FreshContexts;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every reducer carries process objects to real child JVMs under every start method. */
class ReducersAcrossProcessesTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final FreshContexts contexts = new FreshContexts();

    static Stream<Arguments> methodsAndReducers() {
        return Stream.of("forkserver", "spawn")
                .flatMap(method -> Stream.of("kryo", "java", "jackson").map(reducer -> Arguments.of(method, reducer)));
    }

    private BaseContext context(String method, String reducer) {
        BaseContext ctx = contexts.create(method);
        ctx.setReducer(reducer);
        return ctx;
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("methodsAndReducers")
    void aLambdaCapturingValuesRunsInTheChild(String method, String reducer) throws Exception {
        String out = dir.resolve("out").toString();
        List<Integer> numbers = List.of(1, 2, 3);
        Map<String, Integer> weights = Map.of("a", 10);
        Point origin = new Point(4, 5);
        MpProcess p = context(method, reducer).process(() -> Files.writeString(Path.of(out),
                numbers.stream().mapToInt(Integer::intValue).sum() + weights.get("a") + origin.x() * origin.y()
                        + " " + Multiprocess.getContext().getReducer().name()));
        p.start();
        p.join();

        assertThat(p.exitCode()).isZero();
        assertThat(Files.readString(Path.of(out))).isEqualTo("36 " + reducer);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("methodsAndReducers")
    void aSubclassWithFieldsRunsInTheChild(String method, String reducer) throws Exception {
        Path out = dir.resolve("subclass");
        MpProcess p = new MpProcessTest.Writer(context(method, reducer), out.toString(), "fields via " + reducer);
        p.start();
        p.join();

        assertThat(p.exitCode()).isZero();
        assertThat(Files.readString(out)).isEqualTo("fields via " + reducer);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("methodsAndReducers")
    void aNonSerializableCaptureFailsAtStartNamingTheReducer(String method, String reducer) {
        Runnable plain = () -> { };
        MpProcess p = context(method, reducer).process(() -> plain.run());

        assertThatThrownBy(p::start).isInstanceOf(ReductionException.class)
                .hasMessageContaining("'" + reducer + "'")
                .hasMessageContaining("Serializable");
        assertThat(p.pid()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"forkserver", "spawn"})
    void jacksonRefusesAtStartASubclassItCouldNotRebuild(String method) {
        MpProcess p = new NoDefaultConstructor(context(method, "jackson"), 3);

        assertThatThrownBy(p::start).isInstanceOf(ReductionException.class)
                .hasMessageContaining(NoDefaultConstructor.class.getName())
                .hasMessageContaining("no-argument constructor")
                .hasMessageContaining("'kryo'");
        assertThat(p.pid()).isNull();
    }

    /** A subclass that JSON could not rebuild: it has no no-argument constructor. */
    static final class NoDefaultConstructor extends MpProcess {
        private static final long serialVersionUID = 1L;
        private final int value;

        NoDefaultConstructor(BaseContext context, int value) {
            super(context);
            this.value = value;
        }

        @Override
        public void run() {
            System.exit(value);
        }
    }

    record Point(int x, int y) implements java.io.Serializable {
    }
}
