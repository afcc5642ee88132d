/**
 * What the library reports about itself, for health checks, meters, benchmarks and tests: value types only, read
 * through {@link io.multiprocess.Diagnostics}. Nothing here changes what the library does.
 */
package io.multiprocess.diagnostics;
