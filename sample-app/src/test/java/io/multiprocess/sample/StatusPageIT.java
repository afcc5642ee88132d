package io.multiprocess.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.ProcessPool;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
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
        properties = "multiprocess.pool.processes=2")
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
        Optional<Path> chromium = Stream.of("chromium", "chromium-browser", "google-chrome")
                .flatMap(name -> Stream.of(System.getenv("PATH").split(File.pathSeparator))
                        .map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
        if (chromium.isEmpty()) {
            assertThat(System.getenv("MULTIPROCESS_REQUIRE_CHROMIUM")).as("Chromium is required here").isNotEqualTo(
                    "true");
            Assumptions.abort("no Chromium on PATH");
        }
        pool.apply(() -> "a task to list");
        Path dom = Files.createTempFile("status-page", ".html");
        try {
            Process browser = new ProcessBuilder(chromium.get().toString(), "--headless=new", "--no-sandbox",
                    "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom", "http://localhost:" + port + "/")
                    .redirectOutput(dom.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(browser.waitFor(90, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
            String page = Files.readString(dom, StandardCharsets.UTF_8);

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
        } finally {
            Files.deleteIfExists(dom);
        }
    }
}
