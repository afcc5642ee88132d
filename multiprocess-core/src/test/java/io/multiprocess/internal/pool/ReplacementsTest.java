package io.multiprocess.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a pool replaces dead workers and when it gives up, decided without a JVM. */
class ReplacementsTest {

    @Test
    void givesUpAfterThreeWorkersInARowCouldNotStart() {
        Replacements replacements = new Replacements();
        replacements.startFailed();
        replacements.startFailed();
        assertThat(replacements.gaveUp()).isFalse();
        replacements.startFailed();
        assertThat(replacements.gaveUp()).isTrue();
    }

    @Test
    void aWorkerThatGotReadyResetsTheStartFailures() {
        Replacements replacements = new Replacements();
        replacements.startFailed();
        replacements.startFailed();
        replacements.workerReady();
        replacements.startFailed();
        replacements.startFailed();
        assertThat(replacements.gaveUp()).isFalse();
    }

    @Test
    void crashesAreReplacedAtOnceThenWithADoublingBackOffThatIsCapped() {
        Replacements replacements = new Replacements();
        for (int i = 0; i < Replacements.CRASHES_BEFORE_BACKOFF; i++) {
            replacements.crashed();
            assertThat(replacements.replacementDelay()).isZero();
        }
        replacements.crashed();
        assertThat(replacements.replacementDelay()).isEqualTo(Replacements.FIRST_BACKOFF);
        replacements.crashed();
        assertThat(replacements.replacementDelay()).isEqualTo(Replacements.FIRST_BACKOFF.multipliedBy(2));
        for (int i = 0; i < 40; i++) {
            replacements.crashed();
        }
        assertThat(replacements.replacementDelay()).isEqualTo(Replacements.MAX_BACKOFF);
        assertThat(replacements.gaveUp()).as("crashes of ready workers never break the pool").isFalse();
    }

    @Test
    void aFinishedTaskEndsTheBackOffAndReportsTheCrashesBefore() {
        Replacements replacements = new Replacements();
        for (int i = 0; i < 5; i++) {
            replacements.crashed();
        }
        assertThat(replacements.taskFinished()).isEqualTo(5);
        assertThat(replacements.replacementDelay()).isEqualTo(Duration.ZERO);
        assertThat(replacements.consecutiveCrashes()).isZero();
    }

    @Test
    void aFailedLaunchIsRetriedLaterEachTime() {
        Replacements replacements = new Replacements();
        replacements.startFailed();
        Duration first = replacements.launchRetryDelay();
        replacements.startFailed();
        assertThat(replacements.launchRetryDelay()).isGreaterThan(first);
    }
}
