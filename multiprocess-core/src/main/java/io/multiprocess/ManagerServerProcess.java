package io.multiprocess;

import io.multiprocess.managers.ManagerHost;
import java.time.Duration;

/** A manager's server process, as the manager that started it controls it. */
final class ManagerServerProcess implements ManagerHost.ServerProcess {

    private final MpProcess process;
    /** Taken once it started, so it still answers (not alive) after the exit and never names a reused pid. */
    private final ProcessHandle handle;

    /** @param process started */
    ManagerServerProcess(MpProcess process) {
        this.process = process;
        this.handle = ProcessHandle.of(process.pid()).orElse(null);
    }

    @Override
    public String name() {
        return process.getName();
    }

    @Override
    public Long pid() {
        return process.pid();
    }

    @Override
    public Integer exitCode() {
        return process.exitCode();
    }

    @Override
    public boolean join(Duration timeout) {
        return process.join(timeout);
    }

    @Override
    public void terminate() {
        process.terminate();
    }

    @Override
    public void kill() {
        process.kill();
    }

    @Override
    public ProcessHandle handle() {
        return handle;
    }
}
