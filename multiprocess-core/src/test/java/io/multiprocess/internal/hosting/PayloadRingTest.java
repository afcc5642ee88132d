package io.multiprocess.internal.hosting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.sharedmemory.SharedMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The ring a host connection passes large payloads through, both sides in this JVM (across processes it is the
 * same memory; LargeMessagesTest covers that).
 */
class PayloadRingTest {

    private static final int MIB = 1 << 20;

    @Test
    void theWriterWaitsForTheReaderToMapTheRingAndTheReaderRemovesItsName() throws IOException {
        PayloadRing writer = PayloadRing.create(MIB);
        byte[] payload = filled(MIB, 1);

        assertThat(writer.write(payload)).as("nothing goes in before the reader has mapped it").isEqualTo(-1);
        PayloadRing reader = PayloadRing.attach(writer.name());

        assertThat(Files.exists(SharedMemory.directory().resolve(writer.name()))).isFalse();
        long start = writer.write(payload);
        assertThat(start).isZero();
        assertThat(reader.read(start, MIB)).isEqualTo(payload);
        writer.close();
        reader.close();
    }

    @Test
    void payloadsWrapAroundWholeAndWaitForTheReaderToFreeRoom() throws IOException {
        PayloadRing writer = PayloadRing.create(MIB);
        PayloadRing reader = PayloadRing.attach(writer.name());
        int size = 700 * 1024;
        assertThat(writer.capacity()).isEqualTo(2 * MIB);

        long first = writer.write(filled(size, 1));
        long second = writer.write(filled(size, 2));
        assertThat(writer.write(filled(size, 3))).as("a third does not fit until the first is read").isEqualTo(-1);
        assertThat(reader.read(first, size)).isEqualTo(filled(size, 1));
        long third = writer.write(filled(size, 3));

        assertThat(third % writer.capacity()).as("not split across the end: it starts over").isZero();
        assertThat(reader.read(second, size)).isEqualTo(filled(size, 2));
        assertThat(reader.read(third, size)).isEqualTo(filled(size, 3));
        writer.close();
        reader.close();
    }

    @Test
    void aPayloadLargerThanTheRingIsRefusedAndTheRingGrowsForLargerPayloads() {
        PayloadRing small = PayloadRing.create(MIB);
        PayloadRing large = PayloadRing.create(3 * MIB);

        assertThat(small.write(new byte[small.capacity() + 1])).isEqualTo(-1);
        assertThat(large.capacity()).isGreaterThanOrEqualTo(6 * MIB);
        assertThat(PayloadRing.create(PayloadRing.MAX_CAPACITY).capacity()).isEqualTo(PayloadRing.MAX_CAPACITY);
        small.close();
        large.close();
    }

    @Test
    void aFrameNamingBytesOutsideTheRingIsRefused() throws IOException {
        PayloadRing writer = PayloadRing.create(MIB);
        PayloadRing reader = PayloadRing.attach(writer.name());

        assertThatThrownBy(() -> reader.read(-1, 10)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> reader.read(writer.capacity() - 10, 20)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> reader.read(0, writer.capacity() + 1)).isInstanceOf(IOException.class);
        writer.close();
        reader.close();
    }

    @Test
    void aWriterClosedBeforeTheReaderMappedItRemovesTheName() {
        PayloadRing writer = PayloadRing.create(MIB);
        writer.close();

        assertThat(Files.exists(SharedMemory.directory().resolve(writer.name()))).isFalse();
        assertThatThrownBy(() -> PayloadRing.attach(writer.name())).isInstanceOf(IOException.class);
    }

    private static byte[] filled(int size, int seed) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) seed);
        bytes[size - 1] = (byte) (seed * 31);
        return bytes;
    }
}
