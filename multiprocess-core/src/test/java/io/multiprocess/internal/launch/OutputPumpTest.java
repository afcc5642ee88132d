package io.multiprocess.internal.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputPumpTest {

    @Test
    void keepsTheLastLinesCopiesEverythingAndCutsHugeLines() {
        StringBuilder text = new StringBuilder("x".repeat(3_000_000)).append('\n');
        for (int i = 0; i < 100; i++) {
            text.append("line ").append(i).append("\r\n");
        }
        text.append("y".repeat(5_000)).append("\nunfinished");
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);

        List<String> tail = pump(bytes);

        assertThat(tail).hasSize(OutputPump.TAIL_LINES);
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

    @Test
    void relayedOutputComesLineByLineCutAtTheLimitAndEndsWithAnUnfinishedLine() {
        String text = "first\r\n" + "z".repeat(OutputPump.MAX_LINE_BYTES + 10) + "\n\nlast without newline";
        List<String> relayed = new java.util.ArrayList<>();
        OutputPump pump = new OutputPump(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                OutputPump.Stream.STDOUT, (stream, line) -> relayed.add(stream.label() + ":" + line));
        pump.run();

        assertThat(relayed).containsExactly("stdout:first", "stdout:" + "z".repeat(OutputPump.MAX_LINE_BYTES),
                "stdout:" + "z".repeat(10), "stdout:", "stdout:last without newline");
        assertThat(pump.finished()).isDone();
        assertThat(pump.tail()).as("no tail kept of stdout").isEmpty();
    }

    @Test
    void aRelayThatFailsIsSaidOnceAndTheStreamIsStillReadToItsEnd() {
        int[] calls = new int[1];
        OutputPump pump = new OutputPump(new ByteArrayInputStream("a\nb\nc\n".getBytes(StandardCharsets.UTF_8)),
                OutputPump.Stream.STDERR, (stream, line) -> {
                    calls[0]++;
                    throw new IllegalStateException("appender broken");
                });
        pump.run();
        assertThat(calls[0]).isEqualTo(1);
        assertThat(pump.finished()).isDone();
        assertThat(pump.tail()).containsExactly("a", "b", "c");
    }

    private static List<String> pump(byte[] bytes) {
        PrintStream err = System.err;
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        System.setErr(new PrintStream(copied));
        try {
            OutputPump pump = new OutputPump(new ByteArrayInputStream(bytes), OutputPump.Stream.STDERR, null);
            pump.run();
            assertThat(copied.size()).isEqualTo(bytes.length);
            return pump.tail();
        } finally {
            System.setErr(err);
        }
    }
}
