package io.multiprocess.archfixtures.a;

import io.multiprocess.archfixtures.internal.Hidden;
import java.util.List;
import java.util.function.Supplier;

/** A public class that shows an internal type in every way {@code ArchitectureTest} looks for. */
public class LeakyApi implements Supplier<Hidden> {
    public Hidden field;

    public List<Hidden> returnsIt() {
        return List.of();
    }

    public void takesIt(Hidden hidden) {
    }

    @Override
    public Hidden get() {
        return null;
    }

    /** Not API: package-private members may use anything. */
    void packagePrivate(Hidden hidden) {
    }
}
