package io.multiprocess.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium for the browser tests: a page loaded, its scripts run for a budget of virtual time, then its
 * DOM or a screenshot. Skips the test where no Chromium is installed, unless {@code MULTIPROCESS_REQUIRE_CHROMIUM}
 * is {@code true} (as in CI, which installs it): then its absence fails the test.
 *
 * <pre>{@code
 * String dom = HeadlessChromium.findOrSkip().dumpDom("http://localhost:" + port + "/", 5000);
 * }</pre>
 */
final class HeadlessChromium {

    private final Path executable;

    private HeadlessChromium(Path executable) {
        this.executable = executable;
    }

    static HeadlessChromium findOrSkip() {
        Optional<Path> chromium = Stream.of("chromium", "chromium-browser", "google-chrome")
                .flatMap(name -> Stream.of(System.getenv("PATH").split(File.pathSeparator))
                        .map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
        if (chromium.isEmpty()) {
            assertThat(System.getenv("MULTIPROCESS_REQUIRE_CHROMIUM")).as("Chromium is required here").isNotEqualTo(
                    "true");
            Assumptions.abort("no Chromium on PATH");
        }
        return new HeadlessChromium(chromium.get());
    }

    /** The DOM of {@code url} once its scripts have run for {@code virtualMillis} of virtual time. */
    String dumpDom(String url, int virtualMillis) throws Exception {
        Path dom = Files.createTempFile("page", ".html");
        try {
            Process browser = command(url, virtualMillis, "--dump-dom").redirectOutput(dom.toFile()).start();
            assertThat(browser.waitFor(90, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
            return Files.readString(dom, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(dom);
        }
    }

    /** A PNG of {@code url} after {@code virtualMillis}, in a window of {@code width} by {@code height}. */
    void screenshot(String url, int virtualMillis, Path png, int width, int height) throws Exception {
        Process browser = command(url, virtualMillis, "--window-size=" + width + "," + height, "--hide-scrollbars",
                "--screenshot=" + png.toAbsolutePath()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(browser.waitFor(90, TimeUnit.SECONDS)).as("Chromium finished").isTrue();
    }

    private ProcessBuilder command(String url, int virtualMillis, String... arguments) {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--headless=new", "--no-sandbox",
                "--disable-gpu", "--virtual-time-budget=" + virtualMillis));
        command.addAll(Arrays.asList(arguments));
        command.add(url);
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    }
}
