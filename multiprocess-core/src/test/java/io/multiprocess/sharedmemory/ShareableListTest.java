package io.multiprocess.sharedmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Python's ShareableList rules, and a child process attaching by name. */
class ShareableListTest {

    @Test
    void holdsNumbersBooleansStringsBytesAndNullsAndAChildAttachesByName() {
        ShareableList list = ShareableList.create(Arrays.asList(42, 2.5, true, "howdy", new byte[] {1, 0, 0}, null,
                -7L));
        try {
            assertThat(list.size()).isEqualTo(7);
            assertThat(list.toList()).containsExactly(42L, 2.5, true, "howdy", new byte[] {1, 0, 0}, null, -7L);
            assertThat(list.get(-1)).as("negative indexes count from the end").isEqualTo(-7L);
            String name = list.name();

            MpProcess child = Multiprocess.getContext().process(() -> {
                ShareableList same = ShareableList.attach(name);
                if (!same.get(3).equals("howdy") || (Long) same.get(0) != 42L) {
                    throw new AssertionError("the child sees " + same);
                }
                same.set(0, 43);
                same.set(3, "hi");
                same.set(5, "now text");
            });
            child.start();
            assertThat(child.join(Duration.ofSeconds(60))).isTrue();
            assertThat(child.exitCode()).isZero();

            assertThat(list.get(0)).isEqualTo(43L);
            assertThat(list.get(3)).isEqualTo("hi");
            assertThat(list.get(5)).as("a null slot has 8 bytes: room for 8 UTF-8 bytes").isEqualTo("now text");
        } finally {
            list.shm().unlink();
        }
    }

    @Test
    void aStringOrBytesMayNotGrowBeyondItsSlotButTypesMayChange() {
        ShareableList list = ShareableList.create(List.of("howdy", 1L, "", "12345678"));
        try {
            list.set(0, "howdy-do");                      // 5 bytes got a slot of 8
            assertThatThrownBy(() -> list.set(0, "howdy-doo")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("exceeds available storage").hasMessageContaining("room for 8 bytes");
            list.set(1, "8 bytes!");
            assertThatThrownBy(() -> list.set(1, "9 bytes!!")).isInstanceOf(IllegalArgumentException.class);
            list.set(1, 2.0);
            list.set(2, new byte[8]);
            list.set(3, "1234567890123456");              // 8 bytes got 16, as Python's 8 * (len // 8 + 1)
            assertThat(list.toList()).containsExactly("howdy-do", 2.0, new byte[8], "1234567890123456");
        } finally {
            list.shm().unlink();
        }
    }

    @Test
    void countIndexAndErrorsFollowPython() {
        ShareableList list = ShareableList.create(Arrays.asList(1, "a", 1L, new byte[] {9}, null));
        try {
            assertThat(list.count(1)).isEqualTo(2);
            assertThat(list.count(new byte[] {9})).isEqualTo(1);
            assertThat(list.count(null)).isEqualTo(1);
            assertThat(list.index("a")).isEqualTo(1);
            assertThat(list.index(null)).isEqualTo(4);
            assertThatThrownBy(() -> list.index("b")).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("'b' is not in");
            assertThatThrownBy(() -> list.get(5)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("index 5").hasMessageContaining("5 items");
            assertThatThrownBy(() -> list.set(-6, 1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> list.set(0, List.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("holds numbers");
            assertThatThrownBy(() -> ShareableList.create(List.of(new Object())))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ShareableList.create(list.name(), List.of(1), true))
                    .hasCauseInstanceOf(FileAlreadyExistsException.class);
            assertThat(list.toString()).startsWith("ShareableList[1, 'a', 1, b[9], null], name='");
        } finally {
            list.shm().unlink();
        }
        assertThatThrownBy(() -> ShareableList.attach(list.name())).isInstanceOf(UncheckedIOException.class);
        SharedMemory notAList = SharedMemory.create(null, 64);
        try {
            assertThatThrownBy(() -> ShareableList.attach(notAList.name())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not hold a ShareableList");
        } finally {
            notAList.unlink();
        }
        ShareableList empty = ShareableList.create(List.of());
        assertThat(empty.size()).isZero();
        empty.shm().unlink();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void itTravelsThroughEveryReducerAsItsName(String reducerName) {
        Reducer reducer = Reducers.byName(reducerName);
        ShareableList list = ShareableList.create(List.of(1L, "x"));
        try {
            ShareableList copy = (ShareableList) reducer.loads(reducer.dumps(list));
            copy.set(0, 5);
            assertThat(list.get(0)).isEqualTo(5L);
        } finally {
            list.shm().unlink();
        }
    }
}
