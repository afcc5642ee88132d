package io.multiprocess.internal.launch;

/** {@code spawn}: a fresh JVM for every process. */
public final class SpawnStarter implements ProcessStarter {

    private final LaunchSettings settings;

    public SpawnStarter(LaunchSettings settings) {
        this.settings = settings;
    }

    @Override
    public ChildJvm start(RunRequest request) {
        ChildJvm child = ChildLauncher.launch(settings, ControlServer.get(), null);
        child.run(request);
        return child;
    }

    @Override
    public void close() {
        // Spawn keeps no idle children.
    }
}
