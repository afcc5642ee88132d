package io.multiprocess.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.multiprocess.AsyncResult;
import io.multiprocess.ProcessPool;
import io.multiprocess.pool.TaskFailedException;
import io.multiprocess.pool.TaskTimeoutException;
import io.multiprocess.pool.WorkerState;
import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The starter's dashboard as a browser shows it: headless Chromium loads {@code /multiprocess}, runs its script
 * against the live data, and the rendered page must show every worker of both pools, a running map's progress bar,
 * a failure and a timeout with the worker's thread dump, and the charts. A second run takes a screenshot,
 * {@code target/dashboard.png} (the one in docs/images comes from it). Skipped where no Chromium is installed,
 * unless {@code MULTIPROCESS_REQUIRE_CHROMIUM=true} (as in CI, which installs it). Its application context is the
 * one {@link StatusPageIT} uses (the same properties), so the two share it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"multiprocess.pool.processes=2", "multiprocess.dashboard.enabled=true",
                // 120 intervals of a second: the few seconds of work below make a picture in the charts.
                "multiprocess.dashboard.history=2m"})
class DashboardIT {

    /** Where the throughput chart's line is when a value is 0: the chart's top margin plus its plot's height. */
    private static final double CHART_BASELINE = 128.0;

    @Value("${local.server.port}")
    int port;

    @Autowired
    ProcessPool pool;

    @Autowired
    @Qualifier("isolated")
    ProcessPool isolated;

    @Test
    void theDashboardShowsWorkersARunningCallChartsAndFailuresWithTheThreadDumpOfATimeout() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.findOrSkip();
        String url = "http://localhost:" + port + "/multiprocess";
        pool.map(x -> x * x, IntStream.range(0, 40).boxed().toList(), 4);
        isolated.apply(() -> "risky work, done");
        assertThatThrownBy(() -> pool.apply(() -> {
            throw new IllegalStateException("the report has no rows");
        })).isInstanceOf(TaskFailedException.class);
        assertThatThrownBy(() -> pool.applyAsync(() -> {
            Thread.sleep(30_000);
            return 0;
        }, Duration.ofMillis(500)).get()).isInstanceOf(TaskTimeoutException.class);
        // Long enough to be running while the page is loaded, twice; a chunk per item, so it shows progress.
        AsyncResult<List<Integer>> running = pool.mapAsync(x -> {
            Thread.sleep(200);
            return x;
        }, IntStream.range(0, 400).boxed().toList(), 1, null, null, null);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while ((running.progress().done() < 4 || pool.snapshot().workers().stream()
                    .anyMatch(worker -> worker.state() == WorkerState.STARTING)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<Long> pids = Stream.of(pool, isolated).flatMap(each -> each.snapshot().workers().stream())
                    .map(worker -> worker.pid()).toList();
            assertThat(pids).hasSize(3);

            // Two polls of the page's data (one every 2 s) in virtual time: the CPU column needs two.
            String page = chromium.dumpDom(url, 4500);

            assertThat(page).contains("data-pool=\"multiprocessPool\"", "data-pool=\"isolated\"");
            for (long pid : pids) {
                assertThat(page).contains("<tr data-pid=\"" + pid + "\">", "<td>" + pid + "</td>");
            }
            assertThat(page).containsPattern("<tr data-call=\"" + running.progress().callId()
                    + "\">.*?<progress value=\"\\d+\" max=\"400\">");
            assertThat(page).contains("<li class=\"failure\" data-outcome=\"failure\"",
                    "<li class=\"failure\" data-outcome=\"timeout\"", "the report has no rows");
            String timeout = page.substring(page.indexOf("data-outcome=\"timeout\""));
            timeout = timeout.substring(0, timeout.indexOf("</li>"));
            assertThat(timeout).contains("<details>", "class=\"thread-dump\"", "threads of worker pid ",
                    "ran the task", "java.lang.Thread.sleep", DashboardIT.class.getName());

            String primary = page.substring(page.indexOf("data-pool=\"multiprocessPool\""));
            Matcher throughput = Pattern.compile(
                    "<polyline class=\"s-tasks\" data-series=\"tasks\" points=\"([^\"]+)\"").matcher(primary);
            assertThat(throughput.find()).as("the primary pool's throughput chart").isTrue();
            List<Double> heights = new ArrayList<>();
            for (String point : throughput.group(1).split(" ")) {
                heights.add(Double.parseDouble(point.split(",")[1]));
            }
            assertThat(heights).as("a point per second of the last 2 minutes, but the one still going").hasSize(119)
                    .anyMatch(y -> y < CHART_BASELINE);
            assertThat(primary).containsPattern("data-chart=\"latency\".*?data-series=\"mean\"");

            Path screenshot = Path.of(System.getProperty("basedir", "."), "target", "dashboard.png");
            Files.deleteIfExists(screenshot);
            chromium.screenshot(url, 4500, screenshot, 1280, 1600);
            assertThat(screenshot).exists();
            try (DataInputStream png = new DataInputStream(Files.newInputStream(screenshot))) {
                byte[] signature = png.readNBytes(8);
                assertThat(signature).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
                png.readInt();
                assertThat(new String(png.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("IHDR");
                assertThat(new int[] {png.readInt(), png.readInt()}).containsExactly(1280, 1600);
            }
            assertThat(Files.size(screenshot)).as("a page, not a blank image").isGreaterThan(30_000);
        } finally {
            running.cancel(false);
        }
    }
}
