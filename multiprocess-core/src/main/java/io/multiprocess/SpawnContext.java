package io.multiprocess;

import io.multiprocess.internal.launch.LaunchSettings;
import io.multiprocess.internal.launch.ProcessStarter;
import io.multiprocess.internal.launch.SpawnStarter;


/**
 * The {@code spawn} start method: every process gets a fresh JVM, started with this JVM's java, classpath and the
 * context's JVM arguments. Slowest to start (a JVM boot, roughly 0.1 s) and the most isolated.
 */
public final class SpawnContext extends BaseContext {

    public static final String METHOD = "spawn";

    @Override
    public String getStartMethod() {
        return METHOD;
    }

    @Override
    ProcessStarter newStarter(LaunchSettings settings) {
        return new SpawnStarter(settings);
    }

    @Override
    BaseContext newEmptyCopy() {
        return new SpawnContext();
    }
}
