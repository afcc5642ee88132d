/**
 * Serializable functional interfaces: the types of user code that travels to child processes. A plain lambda
 * or method reference at the call site is compiled as serializable when its target type is one of these.
 */
package io.multiprocess.function;
