/**
 * Managers (Python's {@code multiprocessing.managers}): a server process holding objects, and proxies that call
 * them from any process, on this machine or another. Start one with {@code ctx.manager()} or
 * {@link io.multiprocess.managers.SyncManager#builder()}; see docs/shared-objects.md.
 */
package io.multiprocess.managers;
