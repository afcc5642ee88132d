/** Machinery shared by the library's packages; not part of the public API. */
package io.multiprocess.internal;
