package io.multiprocess.archfixtures.b;

import io.multiprocess.archfixtures.a.UsesB;

/** The other half of a package cycle, for {@code ArchitectureTest}. */
public class UsesA {
    public UsesB other;
}
