package io.multiprocess.sharedctypes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.BaseContext;
import io.multiprocess.MpProcess;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.function.SerializableRunnable;
import io.multiprocess.queues.MpQueue;
import io.multiprocess.reduction.Reducer;
import io.multiprocess.reduction.Reducers;
import io.multiprocess.synchronize.Held;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shared values and arrays of every type, read and written by real child processes. */
class SharedCTypesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final BaseContext ctx = Multiprocess.getContext();
    private final List<MpProcess> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.stream().filter(MpProcess::isAlive).forEach(MpProcess::kill);
        started.forEach(process -> process.join(PATIENCE));
    }

    private MpProcess start(SerializableRunnable target) {
        MpProcess process = ctx.process(target);
        process.start();
        started.add(process);
        return process;
    }

    private void joinAllSucceeded() {
        for (MpProcess process : started) {
            assertThat(process.join(PATIENCE)).as("%s ended", process).isTrue();
            assertThat(process.exitCode()).as("exit code of %s", process).isZero();
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("in the child: " + what);
        }
    }

    record Values(IntValue i, LongValue l, ShortValue s, ByteValue b, CharValue c, FloatValue f, DoubleValue d,
            BooleanValue z) implements Serializable {
    }

    record Arrays(IntArray i, LongArray l, ShortArray s, ByteArray b, CharArray c, FloatArray f, DoubleArray d,
            BooleanArray z) implements Serializable {
    }

    @Test
    void everyTypeOfValueRoundTripsBetweenProcesses() {
        Values v = new Values(ctx.value(CType.INT, -7), ctx.value(CType.LONG, 1L << 40),
                ctx.value(CType.SHORT, (short) 300), ctx.value(CType.BYTE, (byte) -3), ctx.value(CType.CHAR, 'é'),
                ctx.value(CType.FLOAT, 1.5f), ctx.rawValue(CType.DOUBLE, Math.PI), ctx.rawValue(CType.BOOLEAN, true));

        start(() -> {
            check(v.i().get() == -7 && v.l().get() == 1L << 40 && v.s().get() == 300 && v.b().get() == -3, "ints");
            check(v.c().get() == 'é' && v.f().get() == 1.5f && v.d().get() == Math.PI && v.z().get(), "others");
            v.i().set(Integer.MAX_VALUE);
            v.l().set(Long.MIN_VALUE);
            v.s().set((short) -2);
            v.b().set((byte) 127);
            v.c().set('\u20ac');
            v.f().set(-0.25f);
            v.d().set(Double.MAX_VALUE);
            v.z().set(false);
        });
        joinAllSucceeded();

        assertThat(v.i().get()).isEqualTo(Integer.MAX_VALUE);
        assertThat(v.l().get()).isEqualTo(Long.MIN_VALUE);
        assertThat(v.s().get()).isEqualTo((short) -2);
        assertThat(v.b().get()).isEqualTo((byte) 127);
        assertThat(v.c().get()).isEqualTo('\u20ac');
        assertThat(v.f().get()).isEqualTo(-0.25f);
        assertThat(v.d().get()).isEqualTo(Double.MAX_VALUE);
        assertThat(v.z().get()).isFalse();
        assertThat(v.i().getObject()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void everyTypeOfArrayRoundTripsBetweenProcesses() {
        Arrays a = new Arrays(ctx.array(CType.INT, new int[] {1, 2, 3}), ctx.array(CType.LONG, 3),
                ctx.array(CType.SHORT, new short[] {4, 5, 6}), ctx.rawArray(CType.BYTE, new byte[] {7, 8, 9}),
                ctx.array(CType.CHAR, "abc".toCharArray()), ctx.array(CType.FLOAT, new float[] {1f, 2f, 3f}),
                ctx.rawArray(CType.DOUBLE, new double[] {0.5, 1.5, 2.5}), ctx.array(CType.BOOLEAN, 3));

        start(() -> {
            check(java.util.Arrays.equals(a.i().toArray(), new int[] {1, 2, 3}), "int[]");
            check(java.util.Arrays.equals(a.l().toArray(), new long[3]), "long[] zero");
            check(java.util.Arrays.equals(a.s().get(1, 3), new short[] {5, 6}), "short[1:3]");
            check(java.util.Arrays.equals(a.b().toArray(), new byte[] {7, 8, 9}), "byte[]");
            check(new String(a.c().toArray()).equals("abc"), "char[]");
            check(a.f().get(2) == 3f && a.d().get(0) == 0.5 && !a.z().get(1), "singles");
            a.i().set(1, new int[] {20, 30});
            a.l().set(0, new long[] {-1L, Long.MAX_VALUE, 5});
            a.s().set(0, (short) 40);
            a.b().set(2, new byte[] {-9});
            a.c().set(0, "xyz".toCharArray());
            a.f().set(1, 2.5f);
            a.d().set(0, new double[] {9.5, 8.5, 7.5});
            a.z().set(0, new boolean[] {true, false, true});
        });
        joinAllSucceeded();

        assertThat(a.i().toArray()).containsExactly(1, 20, 30);
        assertThat(a.l().toArray()).containsExactly(-1L, Long.MAX_VALUE, 5L);
        assertThat(a.s().toArray()).containsExactly((short) 40, (short) 5, (short) 6);
        assertThat(a.b().toArray()).containsExactly(7, 8, -9);
        assertThat(new String(a.c().toArray())).isEqualTo("xyz");
        assertThat(a.f().toArray()).containsExactly(1f, 2.5f, 3f);
        assertThat(a.d().toArray()).containsExactly(9.5, 8.5, 7.5);
        assertThat(a.z().toArray()).containsExactly(true, false, true);
        assertThat(a.i().length()).isEqualTo(3);
    }

    @Test
    void fourProcessesIncrementingUnderTheLockEndAtExactlyFourThousand() {
        IntValue counter = ctx.value(CType.INT, 0);
        for (int p = 0; p < 4; p++) {
            start(() -> {
                for (int i = 0; i < 1_000; i++) {
                    try (Held held = counter.getLock().hold()) {
                        counter.set(counter.get() + 1);
                    }
                }
            });
        }
        joinAllSucceeded();

        assertThat(counter.get()).isEqualTo(4_000);
        assertThat(counter.getLock().isLocked()).isFalse();
    }

    @Test
    void fourProcessesAddingAtomicallyWithoutALockEndAtExactlyFourThousand() {
        IntValue counter = ctx.rawValue(CType.INT, 0);
        LongArray cells = ctx.rawArray(CType.LONG, 2);
        for (int p = 0; p < 4; p++) {
            start(() -> {
                for (int i = 0; i < 1_000; i++) {
                    counter.getAndAdd(1);
                    cells.addAndGet(1, 2);
                }
            });
        }
        joinAllSucceeded();

        assertThat(counter.get()).isEqualTo(4_000);
        assertThat(cells.toArray()).containsExactly(0L, 8_000L);
    }

    @Test
    void atomicHelpersReturnWhatJavaAtomicsReturn() {
        LongValue value = ctx.value(CType.LONG, 10L);
        assertThat(value.getAndAdd(5)).isEqualTo(10);
        assertThat(value.addAndGet(5)).isEqualTo(20);
        assertThat(value.incrementAndGet()).isEqualTo(21);
        assertThat(value.decrementAndGet()).isEqualTo(20);
        assertThat(value.compareAndSet(19, 0)).isFalse();
        assertThat(value.compareAndSet(20, 0)).isTrue();
        assertThat(value.getAndSet(3)).isZero();
        DoubleValue d = ctx.rawValue(CType.DOUBLE, 1.0);
        assertThat(d.compareAndSet(1.0, 2.0)).isTrue();
        assertThat(d.get()).isEqualTo(2.0);
    }

    @Test
    void rawValuesAndArraysHaveNoLockAndSynchronizedOnesHaveAnRLock() {
        IntValue raw = ctx.rawValue(CType.INT, 0);
        DoubleArray rawArray = ctx.rawArray(CType.DOUBLE, 2);
        IntValue synced = ctx.value(CType.INT, 0);

        assertThat(raw.isSynchronized()).isFalse();
        assertThatThrownBy(raw::getLock).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("raw value and has no lock");
        assertThatThrownBy(rawArray::getLock).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("raw array and has no lock");
        assertThat(synced.isSynchronized()).isTrue();
        try (Held held = synced.getLock().hold()) {
            synced.set(synced.get() + 1);                       // re-entrant: no self-deadlock
        }
        assertThat(synced.get()).isEqualTo(1);
    }

    @Test
    void typeCodesMakeTheClassesOfTheirTokensAndConvertAsPythonDoes() {
        for (CType<?, ?, ?, ?> type : CType.values()) {
            SharedValue byCode = ctx.rawValue(type.typecode(), type.zero());
            SharedValue byToken = ctx.rawValue(type);
            assertThat(byCode).as("%s", type).isInstanceOf(byToken.getClass());
            assertThat(byCode.ctype()).isSameAs(type).isSameAs(byToken.ctype());
            assertThat(byCode.getObject()).isEqualTo(byToken.getObject()).isEqualTo(type.zero());
            SharedArray array = ctx.array(type.typecode(), 2);
            assertThat(array).isInstanceOf(ctx.rawArray(type, 0).getClass());
            assertThat(array.isSynchronized()).isTrue();
            assertThat(array.getObject(1)).isEqualTo(type.zero());
        }
        assertThat(((ShortValue) ctx.value("h", 300)).get()).isEqualTo((short) 300);
        assertThat(((LongValue) ctx.value("q", 5)).get()).isEqualTo(5L);
        assertThat(((DoubleValue) ctx.rawValue("d", 1)).get()).isEqualTo(1.0);
        assertThat(((FloatValue) ctx.value("f", 0.5)).get()).isEqualTo(0.5f);
        assertThat(((CharValue) ctx.value("u", 'é')).get()).isEqualTo('é');
        assertThat(((DoubleArray) ctx.rawArray("d", new double[] {1.5, 2.5})).toArray()).containsExactly(1.5, 2.5);
        assertThat(ctx.value(CType.BOOLEAN).get()).isFalse();
        assertThat(ctx.value(CType.CHAR).get()).isEqualTo('\0');
    }

    @Test
    void wrongTypesAndIndexesAreClearErrors() {
        // A type code is checked when it runs, as in Python; a CType is checked by the compiler (CTypeTest).
        assertThatThrownBy(() -> ctx.value("s", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no shared value type has the code 's'").hasMessageContaining("i (int)");
        assertThatThrownBy(() -> ctx.value("i", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be initialized with a java.lang.String");
        assertThatThrownBy(() -> ctx.value("i", 1L << 40)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit a shared int (-2147483648..2147483647)");
        assertThatThrownBy(() -> ctx.value("b", 200)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit a shared byte (-128..127)");
        assertThatThrownBy(() -> ctx.value("i", 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be initialized with a java.lang.Double");
        assertThatThrownBy(() -> ctx.value("?", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be initialized with a java.lang.Integer");
        assertThatThrownBy(() -> ctx.array("i", new long[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not from a long[]");
        assertThatThrownBy(() -> ctx.array(CType.INT, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ctx.value(CType.INT, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("initial");

        IntArray array = ctx.array(CType.INT, 3);
        assertThatThrownBy(() -> array.get(3)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("index 3").hasMessageContaining("length 3");
        assertThatThrownBy(() -> array.set(-1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> array.get(2, 4)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("range 2..4");
        assertThatThrownBy(() -> array.set(2, new int[] {1, 2})).isInstanceOf(IndexOutOfBoundsException.class);

        BooleanArray flags = ctx.rawArray(CType.BOOLEAN, 4);
        flags.set(1, new boolean[] {true, true});
        assertThat(flags.toArray()).containsExactly(false, true, true, false);
        assertThat(flags.get(2, 4)).containsExactly(true, false);
        assertThatThrownBy(() -> flags.set(3, new boolean[] {true, true}))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(flags.toArray()).as("nothing written by a range that does not fit")
                .containsExactly(false, true, true, false);
        assertThatThrownBy(() -> array.setObject(0, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("int elements");
        IntValue value = ctx.value(CType.INT, 0);
        assertThatThrownBy(() -> value.setObject("1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds a int");
        assertThat(ctx.array(CType.INT, 0).length()).as("an empty array, as Python's").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java", "jackson"})
    void valuesAndArraysTravelThroughEveryReducerOntoTheSameMemory(String reducerName) {
        Reducer reducer = Reducers.byName(reducerName);
        Values v = new Values(ctx.value(CType.INT, 1), ctx.rawValue(CType.LONG, 2L),
                ctx.value(CType.SHORT, (short) 3), ctx.value(CType.BYTE, (byte) 4), ctx.value(CType.CHAR, 'x'),
                ctx.value(CType.FLOAT, 6f), ctx.value(CType.DOUBLE, 7.0), ctx.rawValue(CType.BOOLEAN, true));
        Arrays a = new Arrays(ctx.array(CType.INT, 1), ctx.array(CType.LONG, 1), ctx.array(CType.SHORT, 1),
                ctx.array(CType.BYTE, 1), ctx.array(CType.CHAR, 1), ctx.rawArray(CType.FLOAT, 1),
                ctx.array(CType.DOUBLE, 1), ctx.array(CType.BOOLEAN, 1));

        Values vc = (Values) reducer.loads(reducer.dumps(v));
        Arrays ac = (Arrays) reducer.loads(reducer.dumps(a));

        assertThat(vc).isEqualTo(v).isNotSameAs(v);
        assertThat(ac).isEqualTo(a);
        vc.i().set(11);
        assertThat(v.i().get()).isEqualTo(11);
        assertThat(vc.l().isSynchronized()).isFalse();
        assertThat(vc.i().getLock()).isEqualTo(v.i().getLock());
        ac.d().set(0, 2.5);
        assertThat(a.d().get(0)).isEqualTo(2.5);
        assertThat(ac.f().isSynchronized()).isFalse();
    }

    @Test
    void valuesReachPoolTasksAndTravelInsideQueueItems() throws Exception {
        IntValue total = ctx.value(CType.INT, 0);
        try (ProcessPool pool = ctx.pool(2)) {
            pool.map(x -> total.addAndGet(x), IntStream.rangeClosed(1, 10).boxed().toList(), 1);
        }
        assertThat(total.get()).isEqualTo(55);

        MpQueue<DoubleArray> queue = ctx.queue();
        MpQueue<String> done = ctx.queue();
        start(() -> {
            DoubleArray received = queue.get();
            received.set(0, 42.0);
            done.put("ok");
        });
        DoubleArray array = ctx.array(CType.DOUBLE, 1);
        queue.put(array);
        assertThat(done.get(PATIENCE)).isEqualTo("ok");
        joinAllSucceeded();
        assertThat(array.get(0)).isEqualTo(42.0);
    }
}
