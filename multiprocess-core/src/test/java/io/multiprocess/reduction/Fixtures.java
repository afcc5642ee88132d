package io.multiprocess.reduction;

import io.multiprocess.function.SerializableFunction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Value types shared by the reducer tests. */
final class Fixtures {

    private Fixtures() {
    }

    record Point(int x, int y) implements Serializable {
    }

    enum Color { RED, GREEN }

    /** Mutable POJO with fields only (no getters), Serializable so every reducer handles it. */
    static final class Account implements Serializable {
        private String owner;
        private long balance;
        private List<Object> history = new ArrayList<>();

        Account() {
        }

        Account(String owner, long balance) {
            this.owner = owner;
            this.balance = balance;
        }

        Account add(Object entry) {
            history.add(entry);
            return this;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Account account && owner.equals(account.owner) && balance == account.balance
                    && history.equals(account.history);
        }

        @Override
        public int hashCode() {
            return Objects.hash(owner, balance, history);
        }
    }

    /** A task object holding a lambda as a field. */
    static final class Job implements Serializable {
        private String label;
        private SerializableFunction<Integer, Integer> step;

        Job() {
        }

        Job(String label, SerializableFunction<Integer, Integer> step) {
            this.label = label;
            this.step = step;
        }

        String run(int input) throws Exception {
            return label + step.apply(input);
        }
    }

    /** Not Serializable, no no-argument constructor: only Kryo can carry it. */
    static final class Plain {
        private final String name;
        private final int[] values;

        Plain(String name, int... values) {
            this.name = name;
            this.values = values;
        }

        String name() {
            return name;
        }

        int[] values() {
            return values;
        }
    }

    /** Holds something no reducer can carry: a thread. */
    static final class Holder implements Serializable {
        private final Object payload;

        Holder(Object payload) {
            this.payload = payload;
        }

        private Holder() {
            this(null);
        }
    }

    static final class Wrapper implements Serializable {
        private final Holder holder;

        Wrapper(Holder holder) {
            this.holder = holder;
        }

        private Wrapper() {
            this(null);
        }
    }

    static int triple(int x) {
        return 3 * x;
    }
}
