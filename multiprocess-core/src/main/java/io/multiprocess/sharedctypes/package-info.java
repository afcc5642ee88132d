/**
 * Values and arrays of primitive types in shared memory: Python's {@code multiprocessing.sharedctypes}
 * ({@code Value}, {@code Array}, {@code RawValue}, {@code RawArray}). Create them with the context's
 * {@code value}, {@code array}, {@code rawValue} and {@code rawArray}, naming the type by a
 * {@link io.multiprocess.sharedctypes.CType} token ({@code IntValue hits = ctx.value(CType.INT, 0);}) or, when it is
 * known only at run time, by Python's type code. Each is a {@link io.multiprocess.sharedmemory.SharedMemory} segment
 * read and written with {@link io.multiprocess.sharedmemory.AtomicView}, and a synchronized one carries a
 * cross-process {@link io.multiprocess.synchronize.RLock}. One class per type
 * ({@link io.multiprocess.sharedctypes.IntValue}, {@link io.multiprocess.sharedctypes.DoubleArray}, ...) so reads
 * and writes take and return primitives; these sixteen classes are generated at build time from the templates in
 * {@code src/main/java-templates}.
 */
package io.multiprocess.sharedctypes;
