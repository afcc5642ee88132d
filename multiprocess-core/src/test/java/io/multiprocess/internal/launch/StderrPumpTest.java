package io.multiprocess.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StderrPumpTest {

    @Test
    void keepsTheLastLinesCopiesEverythingAndCutsHugeLines() {
        StringBuilder text = new StringBuilder("x".repeat(3_000_000)).append('\n');
        for (int i = 0; i < 100; i++) {
            text.append("line ").append(i).append("\r\n");
        }
        text.append("y".repeat(5_000)).append("\nunfinished");
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);

        List<String> tail = pump(bytes);

        assertThat(tail).hasSize(StderrPump.TAIL_LINES);
        assertThat(tail.get(0)).isEqualTo("line 72");
        assertThat(tail.get(27)).isEqualTo("line 99");
        assertThat(tail.get(28)).hasSize(2000).matches("y+");
        assertThat(tail.get(29)).isEqualTo("unfinished");
    }

    @Test
    void aShortOutputIsKeptWhole() {
        assertThat(pump("one\ntwo\n".getBytes(StandardCharsets.UTF_8))).containsExactly("one", "two");
        assertThat(pump(new byte[0])).isEmpty();
    }

    private static List<String> pump(byte[] bytes) {
        PrintStream err = System.err;
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        System.setErr(new PrintStream(copied));
        try {
            StderrPump pump = new StderrPump(new ByteArrayInputStream(bytes));
            pump.run();
            assertThat(copied.size()).isEqualTo(bytes.length);
            return pump.tail();
        } finally {
            System.setErr(err);
        }
    }
}
