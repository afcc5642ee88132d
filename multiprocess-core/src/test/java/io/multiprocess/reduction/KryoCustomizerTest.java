package io.multiprocess.reduction;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import org.junit.jupiter.api.Test;

/** A KryoCustomizer listed in META-INF/services (of the test classpath) applies here and in child JVMs. */
class KryoCustomizerTest {

    /** Has no no-arg constructor and a field Kryo would write; the customizer's serializer writes a marker instead. */
    record Tagged(String text) {
    }

    /** Writes the text and adds one "+" per JVM that reads it, so the test sees where it was serialized. */
    public static final class TaggedSerializer extends Serializer<Tagged> {
        @Override
        public void write(Kryo kryo, Output output, Tagged value) {
            output.writeString(value.text());
        }

        @Override
        public Tagged read(Kryo kryo, Input input, Class<? extends Tagged> type) {
            return new Tagged(input.readString() + "+");
        }
    }

    /** Listed in src/test/resources/META-INF/services/io.multiprocess.reduction.KryoCustomizer. */
    public static final class TestCustomizer implements KryoCustomizer {
        @Override
        public void customize(Kryo kryo) {
            kryo.addDefaultSerializer(Tagged.class, new TaggedSerializer());
        }
    }

    @Test
    void theCustomizersSerializerIsUsedInThisJvm() {
        KryoReducer reducer = new KryoReducer();
        assertThat(reducer.loads(reducer.dumps(new Tagged("a")))).isEqualTo(new Tagged("a+"));
    }

    @Test
    void andInAChildJvmWhichHasNoApplicationContext() {
        try (ProcessPool pool = Multiprocess.getContext().pool(1)) {
            Tagged sent = new Tagged("x");
            // To the worker (x+), back in its result (x++), read here (x+++): each hop went through the serializer.
            assertThat(pool.apply(() -> new Tagged(sent.text()))).isEqualTo(new Tagged("x++"));
        }
    }
}
