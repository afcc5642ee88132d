package io.multiprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectTimeoutTest {

    @Test
    void readsSecondsMillisecondsMinutesAndIso8601() {
        assertThat(ConnectTimeout.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ConnectTimeout.parse(" 1500ms ")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ConnectTimeout.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ConnectTimeout.parse("PT45S")).isEqualTo(Duration.ofSeconds(45));
        assertThat(ConnectTimeout.parse("2500")).as("a bare number is milliseconds").isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void aValueThatIsNoDurationGivesTheDefaultAndOnesOutOfRangeTheBound() {
        assertThat(ConnectTimeout.parse("soon")).isEqualTo(ConnectTimeout.DEFAULT);
        assertThat(ConnectTimeout.parse("5ms")).isEqualTo(ConnectTimeout.LEAST);
        assertThat(ConnectTimeout.parse("9223372036854775807")).isEqualTo(ConnectTimeout.MOST);
        assertThat(ConnectTimeout.parse("200000000000000m")).isEqualTo(ConnectTimeout.MOST);
        assertThat(ConnectTimeout.parse("200000000000000000m")).as("overflows a Duration").isEqualTo(
                ConnectTimeout.DEFAULT);
    }
}
