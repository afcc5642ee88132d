package io.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.internal.CurrentProcess;
import io.multiprocess.internal.context.ContextDefaults;
import org.junit.jupiter.api.Test;

/**
 * The process-wide state the layers below the context read (the transport, hosting, managers, logging) is the
 * process object's and the default context's, never a copy that could drift from them.
 */
class CurrentProcessTest {

    @Test
    void theNameAndAuthkeyBelowTheContextAreTheCurrentProcesssEvenAfterAChange() {
        MpProcess current = Multiprocess.currentProcess();
        byte[] original = current.getAuthkey();
        assertThat(CurrentProcess.name()).isEqualTo("MainProcess").isEqualTo(current.getName());
        assertThat(CurrentProcess.authkey()).isEqualTo(original);
        try {
            byte[] changed = "a key set by the application".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            current.setAuthkey(changed);
            assertThat(CurrentProcess.authkey()).isEqualTo(changed);
        } finally {
            current.setAuthkey(original);
        }
    }

    @Test
    void theDefaultReducerBelowTheContextIsTheDefaultContextsOwn() {
        assertThat(ContextDefaults.reducer()).isSameAs(Multiprocess.getContext().getReducer());
    }
}
