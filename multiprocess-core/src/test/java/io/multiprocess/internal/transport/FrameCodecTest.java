package io.multiprocess.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.errors.MalformedFrameException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one layout of the library's frames: what is written is read back, and a lying length is refused. */
class FrameCodecTest {

    @Test
    void everyFieldIsReadBackInOrder() throws Exception {
        byte[] frame = FrameCodec.frame(FrameTypes.Control.RUN, 0)
                .putByte((byte) 7).putBoolean(true).putInt(-3).putLong(Long.MAX_VALUE).putInts(new int[] {1, 2})
                .putBytes(new byte[] {9, 8}).putString("é ✓ name").putStrings(List.of("-Xmx64m", ""))
                .putRest(new byte[] {42, 43}).toBytes();

        FrameCodec.Reader reader = FrameCodec.read(frame);
        assertThat(reader.type()).isEqualTo(FrameTypes.Control.RUN);
        assertThat(reader.getByte()).isEqualTo((byte) 7);
        assertThat(reader.getBoolean()).isTrue();
        assertThat(reader.getInt()).isEqualTo(-3);
        assertThat(reader.getLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(reader.getInts()).containsExactly(1, 2);
        assertThat(reader.getBytes()).containsExactly(9, 8);
        assertThat(reader.getString()).isEqualTo("é ✓ name");
        assertThat(reader.getStrings()).containsExactly("-Xmx64m", "");
        assertThat(reader.restOffset()).isEqualTo(frame.length - 2);
        assertThat(reader.rest()).containsExactly(42, 43);
    }

    @Test
    void anExactSizeHintGivesTheArrayWithoutACopyAndABareFrameIsItsType() {
        byte[] frame = FrameCodec.frame(FrameTypes.Pool.TASK, 8).putLong(5).toBytes();
        assertThat(frame).hasSize(9);
        assertThat(FrameCodec.bare(FrameTypes.Pool.STOP)).containsExactly(FrameTypes.Pool.STOP);
    }

    @Test
    void aLengthLargerThanWhatIsLeftIsRefusedWithoutAllocatingIt() {
        byte[] lying = ByteBuffer.allocate(1 + 4).put(FrameTypes.Control.RUN).putInt(Integer.MAX_VALUE).array();
        assertThatThrownBy(() -> FrameCodec.read(lying).getBytes()).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("2147483647 bytes wanted, 0 left");
        assertThatThrownBy(() -> FrameCodec.read(lying).getStrings()).isInstanceOf(MalformedFrameException.class);
        byte[] negative = ByteBuffer.allocate(1 + 4).put(FrameTypes.Control.RUN).putInt(-1).array();
        assertThatThrownBy(() -> FrameCodec.read(negative).getInts()).isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void aTruncatedFrameAndAnEmptyOneAreMalformed() {
        byte[] whole = FrameCodec.frame(FrameTypes.Pool.RESULT, 17).putLong(1).putByte((byte) 0).putLong(2)
                .toBytes();
        byte[] cut = Arrays.copyOf(whole, 12);
        assertThatThrownBy(() -> {
            FrameCodec.Reader reader = FrameCodec.read(cut);
            reader.getLong();
            reader.getByte();
            reader.getLong();
        }).isInstanceOf(MalformedFrameException.class).hasMessageContaining("long");
        assertThatThrownBy(() -> FrameCodec.read(new byte[0])).isInstanceOf(MalformedFrameException.class);
    }
}
