package io.multiprocess.bench.reliability;

import io.multiprocess.Diagnostics;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;

/**
 * The parent JVM the parent-SIGKILL scenario kills: a pool of 2 on the default (forkserver) context with a busy
 * worker, an idle one and a warm spare. Prints {@code READY n} with its number of child JVMs, then waits to be
 * killed.
 */
public final class ParentMain {

    private ParentMain() {
    }

    public static void main(String[] args) throws Exception {
        ProcessPool pool = Multiprocess.getContext().pool(2);
        pool.apply(() -> 0);
        pool.applyAsync(() -> {
            Thread.sleep(600_000);
            return 0;
        });
        // The spare that replaces a handed-out one boots in the background: wait for it to be up too.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while ((Diagnostics.liveChildJvms().size() < 3
                || Diagnostics.liveChildJvms().stream().anyMatch(child -> !child.ready()))
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        System.out.println("READY " + Diagnostics.liveChildJvms().size());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
