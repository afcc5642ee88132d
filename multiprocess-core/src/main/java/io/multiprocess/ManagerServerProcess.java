package io.multiprocess;

import io.multiprocess.managers.ManagerHost;
import java.time.Duration;

/** A manager's server process, as the manager that started it controls it. */
final class ManagerServerProcess implements ManagerHost.ServerProcess {

    private final MpProcess process;

    ManagerServerProcess(MpProcess process) {
        this.process = process;
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
        Long pid = process.pid();
        return pid == null ? null : ProcessHandle.of(pid).orElse(null);
    }
}
