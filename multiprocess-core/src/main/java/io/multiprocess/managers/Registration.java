package io.multiprocess.managers;

import io.multiprocess.function.SerializableSupplier;
import java.io.Serializable;

/** A user type registered with a manager: its type id, its factory and the interface its proxies implement. */
record Registration(String typeid, SerializableSupplier<?> factory, String api) implements Serializable {
}
