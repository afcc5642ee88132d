package io.multiprocess;

import java.nio.file.Files;
import java.nio.file.Path;

/** A process whose class records which process initialized it, to tell loading ahead from initializing early. */
public final class LoadAheadProcess extends MpProcess {

    private static final String INITIALIZED_IN = Multiprocess.currentProcess().getName();

    private final String file;

    LoadAheadProcess(BaseContext context, String name, String file) {
        super(context);
        setName(name);
        this.file = file;
    }

    private LoadAheadProcess() {
        this.file = null;
    }

    @Override
    public void run() throws Exception {
        Files.writeString(Path.of(file), INITIALIZED_IN);
    }
}
