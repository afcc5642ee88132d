package io.multiprocess.archfixtures.internal;

/** A type of an internal package, leaked by {@code LeakyApi} for {@code ArchitectureTest}. */
public class Hidden {
}
