/**
 * Machinery shared by the library's packages that is not part of its API: the library's threads, its one timer,
 * and the order in which it shuts down at JVM exit. May change in any release; do not use it from applications.
 */
package io.multiprocess.internal;
