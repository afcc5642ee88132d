package io.multiprocess.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.ProcessPool;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The status page as a browser shows it: headless Chromium loads it, runs its script against the live endpoints,
 * and the rendered page must list every pool's real worker pids and the multiprocess health. Skipped where no
 * Chromium is installed, unless {@code MULTIPROCESS_REQUIRE_CHROMIUM=true} (as in CI, which installs it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // DashboardIT's properties: the two tests share one application context.
        properties = {"multiprocess.pool.processes=2", "multiprocess.dashboard.enabled=true",
                "multiprocess.dashboard.history=2m"})
class StatusPageIT {

    @Value("${local.server.port}")
    int port;

    @Autowired
    ProcessPool pool;

    @Autowired
    @Qualifier("isolated")
    ProcessPool isolated;

    @Test
    void theRenderedPageShowsTheWorkersAndHealth() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.findOrSkip();
        pool.apply(() -> "a task to list");
        String page = chromium.dumpDom("http://localhost:" + port + "/", 5000);

        assertThat(page).contains("<strong id=\"health\" class=\"status-UP\">UP</strong>")
                .contains("data-pool=\"multiprocessPool\"").contains("data-pool=\"isolated\"")
                .contains("id=\"health-isolated\">UP</span>");
        List<Long> pids = java.util.stream.Stream.of(pool, isolated)
                .flatMap(each -> each.snapshot().workers().stream()).map(worker -> worker.pid()).toList();
        assertThat(pids).hasSize(3);
        for (long pid : pids) {
            assertThat(page).contains("<td>" + pid + "</td>");
        }
        assertThat(page).contains("<td class=\"outcome-success\">success</td>");
    }
}
