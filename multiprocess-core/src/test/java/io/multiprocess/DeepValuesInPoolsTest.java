package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.pool.PoolOptions;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.reduction.ReductionException;
import io.multiprocess.testing.FreshContexts;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A value too deep for the stack, on its way back from a worker or to it: a failed task (or a failed submit)
 * naming the StackOverflowError, every time, and a pool that goes on serving. It used to be a worker crash
 * (NoClassDefFoundError) whenever Kryo initialized StringBuffer at the bottom of the overflowed stack.
 */
class DeepValuesInPoolsTest {

    private static final int DEPTH = 100_000;
    private static final int ROUNDS = 20;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    final FreshContexts contexts = new FreshContexts();

    record Node(int value, Node next) implements Serializable {
    }

    static Node chain(int depth) {
        Node node = null;
        for (int i = 0; i < depth; i++) {
            node = new Node(i, node);
        }
        return node;
    }

    static List<Object> nestedLists(int depth) {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            List<Object> outer = new ArrayList<>();
            outer.add(list);
            list = outer;
        }
        return list;
    }

    /** An exception that carries a value too deep to send back. */
    static final class DeepFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Node chain;

        DeepFailure(Node chain) {
            super("deep failure");
            this.chain = chain;
        }

        private DeepFailure() {
            this(null);
        }
    }

    private ProcessPool poolOfOne(String reducer) {
        BaseContext ctx = contexts.create("spawn");
        ctx.setReducer(reducer);
        return ctx.pool(PoolOptions.defaults().processes(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void aTooDeepResultFailsItsTaskNamingTheStackOverflowEveryTime(String reducer) {
        try (ProcessPool pool = poolOfOne(reducer)) {
            long worker = pool.apply(() -> ProcessHandle.current().pid());
            for (int i = 0; i < ROUNDS; i++) {
                AsyncResult<Object> result = i % 2 == 0 ? pool.applyAsync(() -> chain(DEPTH))
                        : pool.applyAsync(() -> nestedLists(DEPTH));

                Throwable error = catchFailure(result);
                assertThat(error).as("round %d", i).isInstanceOf(TaskFailedException.class);
                assertThat(causeChainText(error)).as("round %d", i).contains("StackOverflowError")
                        .contains("nested too deeply");
            }
            assertThat(pool.apply(() -> "still serving")).isEqualTo("still serving");
            assertThat(pool.apply(() -> ProcessHandle.current().pid())).as("the same worker served throughout")
                    .isEqualTo(worker);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void aTooDeepExceptionFailsItsTaskNamingTheStackOverflow(String reducer) {
        try (ProcessPool pool = poolOfOne(reducer)) {
            for (int i = 0; i < 5; i++) {
                Throwable error = catchFailure(pool.applyAsync(() -> {
                    throw new DeepFailure(chain(DEPTH));
                }));

                assertThat(error).isInstanceOf(TaskFailedException.class);
                assertThat(causeChainText(error)).contains("deep failure").contains("StackOverflowError");
            }
            assertThat(pool.apply(() -> "still serving")).isEqualTo("still serving");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void aTooDeepArgumentFailsAtSubmitNamingTheStackOverflow(String reducer) {
        Node deep = chain(DEPTH);
        try (ProcessPool pool = poolOfOne(reducer)) {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> pool.applyAsync(() -> deep.value()))
                        .isInstanceOf(ReductionException.class)
                        .hasMessageContaining("cannot submit")
                        .hasMessageContaining("StackOverflowError")
                        .hasMessageContaining("nested too deeply");
                assertThatThrownBy(() -> pool.map(Node::value, List.of(deep)))
                        .isInstanceOf(ReductionException.class).hasMessageContaining("StackOverflowError");
            }
            assertThat(pool.apply(() -> "still serving")).isEqualTo("still serving");
        }
    }

    private static Throwable catchFailure(AsyncResult<?> result) {
        try {
            result.get(DEADLINE);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    static String causeChainText(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null && text.length() < 100_000; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
