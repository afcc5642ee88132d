package io.multiprocess.function;

import java.io.Serializable;
import java.util.function.Supplier;

/** A {@link Supplier} that can travel to another process, e.g. the factory of a type registered with a manager. */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable {
}
