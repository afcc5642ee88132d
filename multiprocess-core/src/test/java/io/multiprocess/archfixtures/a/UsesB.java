package io.multiprocess.archfixtures.a;

import io.multiprocess.archfixtures.b.UsesA;

/** Half of a package cycle, for {@code ArchitectureTest} to prove its rule fails on one. */
public class UsesB {
    public UsesA other;
}
