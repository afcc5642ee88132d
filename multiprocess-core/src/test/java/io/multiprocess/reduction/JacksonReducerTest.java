package io.multiprocess.reduction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.function.SerializableCallable;
import io.multiprocess.reduction.Fixtures.Color;
import io.multiprocess.reduction.Fixtures.Point;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JacksonReducerTest {

    private final JacksonReducer reducer = new JacksonReducer();

    /** A declared enum key type is known on read, so such keys are fine. */
    static final class Palette {
        private Map<Color, Integer> weights = new HashMap<>();

        Map<Color, Integer> weights() {
            return weights;
        }
    }

    @Test
    void isNamedJackson() {
        assertThat(reducer.name()).isEqualTo("jackson");
    }

    @Test
    void writesReadableJsonWithTheRuntimeType() {
        String json = new String(reducer.dumps(new Point(1, 2)), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("[\"" + Point.class.getName() + "\",{\"x\":1,\"y\":2}]");
    }

    @Test
    void lambdaTypeIdIsItsFunctionalInterface() {
        int n = 3;
        SerializableCallable<Integer> task = () -> n;

        assertThat(new String(reducer.dumps(task), StandardCharsets.UTF_8))
                .startsWith("[\"io.multiprocess.function.SerializableCallable\",{\"capturingClass\":");
    }

    @Test
    void declaredEnumKeysRoundTrip() {
        Palette palette = new Palette();
        palette.weights().put(Color.RED, 3);

        Palette copy = (Palette) reducer.loads(reducer.dumps(palette));

        assertThat(copy.weights()).containsEntry(Color.RED, 3);
    }

    @Test
    void untypedNonStringKeysAreRefusedRatherThanTurnedIntoStrings() {
        Map<Object, Object> map = new HashMap<>(Map.of(Color.RED, 1));

        assertThatThrownBy(() -> reducer.dumps(map))
                .isInstanceOf(ReductionException.class)
                .hasMessageContaining("Cannot reduce a value of type java.util.HashMap with reducer 'jackson'")
                .hasMessageContaining("map key of type " + Color.class.getName())
                .hasMessageContaining("use reducer 'kryo'");
    }

    @Test
    void anonymousClassesAreRefusedRatherThanLosingCapturedValues() {
        int captured = 5;
        SerializableCallable<Integer> task = new SerializableCallable<>() {
            @Override
            public Integer call() {
                return captured;
            }
        };

        assertThatThrownBy(() -> reducer.dumps(List.of(task)))
                .isInstanceOf(ReductionException.class)
                .hasMessageContaining("reducer 'jackson'")
                .hasMessageContaining("anonymous, local or inner class")
                .hasMessageContaining("use reducer 'kryo'");
    }

    @Test
    void classWithoutNoArgConstructorFailsOnDumpSoTheCallerSeesIt() {
        assertThatThrownBy(() -> reducer.dumps(List.of(new Fixtures.Plain("p", 1))))
                .isInstanceOf(ReductionException.class)
                .hasMessageContaining("reducer 'jackson'")
                .hasMessageContaining(Fixtures.Plain.class.getName())
                .hasMessageContaining("no-argument constructor");
    }
}
