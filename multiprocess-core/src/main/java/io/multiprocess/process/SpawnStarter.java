package io.multiprocess.process;

/** {@code spawn}: a fresh JVM for every process. */
final class SpawnStarter implements ProcessStarter {

    private final LaunchSettings settings;

    SpawnStarter(LaunchSettings settings) {
        this.settings = settings;
    }

    @Override
    public ChildJvm start(RunRequest request) {
        ChildJvm child = ChildJvm.launch(settings, ControlServer.get(), null);
        child.run(request);
        return child;
    }

    @Override
    public void close() {
        // Spawn keeps no idle children.
    }
}
