package io.multiprocess.bench.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample app as deployed ({@code java -jar}), stopped with SIGTERM while requests run: do they get their
 * answers within the grace period, and does any JVM outlive it?
 */
final class SpringShutdownScenario {

    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");
    private static final int WORKERS = 2;
    private static final long TASK_MILLIS = 3_000;

    private SpringShutdownScenario() {
    }

    static List<Scenario> all() {
        return List.of(new Scenario("spring-sigterm", "SIGTERM of the Spring Boot app with work in flight",
                "the requests in flight get 200, their queued tasks finish within the 15 s grace period, the app "
                        + "exits and no JVM is left", SpringShutdownScenario::sigtermWithWorkInFlight));
    }

    static Scenario.Result sigtermWithWorkInFlight(Size size, Scenario.Settings settings) throws Exception {
        if (settings.sampleJar() == null || !Files.isRegularFile(Path.of(settings.sampleJar()))) {
            return new Scenario.Result("(not run)", "no sample app jar: build it with mvn -pl sample-app -am "
                    + "package -DskipTests and pass --sample-jar", false);
        }
        Path log = Files.createTempFile("reliability-sample", ".log");
        Process app = new ProcessBuilder(settings.java(), "-jar", settings.sampleJar(), "--server.port=0",
                "--multiprocess.pool.processes=" + WORKERS).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        List<ProcessHandle> children = new ArrayList<>();
        try {
            int port = awaitPort(app, log);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> warm = http.send(post(port, 10), HttpResponse.BodyHandlers.ofString());
            if (warm.statusCode() != 200) {
                return new Scenario.Result("(not run)", "the warm-up request got " + warm.statusCode() + ": "
                        + warm.body(), false);
            }
            // Two requests whose tasks run (one per worker) and two whose tasks wait in the pool's queue.
            List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
            List<Long> sent = new ArrayList<>();
            for (int i = 0; i < 2 * WORKERS; i++) {
                sent.add(System.nanoTime());
                requests.add(http.sendAsync(post(port, TASK_MILLIS), HttpResponse.BodyHandlers.ofString()));
                Os.sleep(20);
            }
            Os.sleep(1_000);
            children.addAll(Os.descendants(app.pid()));
            long sigterm = System.nanoTime();
            app.destroy();
            List<String> answers = new ArrayList<>();
            int ok = 0;
            for (int i = 0; i < requests.size(); i++) {
                String answer;
                try {
                    HttpResponse<String> response = requests.get(i).get(60, TimeUnit.SECONDS);
                    ok += response.statusCode() == 200 ? 1 : 0;
                    answer = response.statusCode() + (response.statusCode() == 200 ? ""
                            : " " + BadInputScenarios.shorten(response.body()));
                } catch (java.util.concurrent.ExecutionException e) {
                    answer = "no answer (" + ReliabilityBench.describe(e.getCause()) + ")";
                } catch (java.util.concurrent.TimeoutException e) {
                    answer = "no answer within 60 s";
                }
                answers.add(String.format(Locale.ROOT, "%s %s at %.1f s after SIGTERM", i < WORKERS ? "in flight"
                        : "queued", answer, (System.nanoTime() - sigterm) / 1e9));
            }
            boolean exited = app.waitFor(60, TimeUnit.SECONDS);
            double exitSeconds = (System.nanoTime() - sigterm) / 1e9;
            long deadline = System.nanoTime() + 5_000_000_000L;
            List<ProcessHandle> left = children;
            while (!left.isEmpty() && System.nanoTime() < deadline) {
                Os.sleep(20);
                left = left.stream().filter(ProcessHandle::isAlive).toList();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            String remarks = (output.contains("process pool broken") ? "; the log says 'process pool broken'" : "")
                    + (output.contains("RejectedExecutionException") ? "; the log has a RejectedExecutionException"
                            : "");
            String figure = String.format(Locale.ROOT, "%s; app %s; %d of %d JVMs left 5 s later%s",
                    String.join("; ", answers), exited ? String.format(Locale.ROOT, "exited %d, %.1f s after SIGTERM",
                            app.exitValue(), exitSeconds) : "still running 60 s after SIGTERM", left.size(),
                    children.size(), remarks);
            boolean held = ok == requests.size() && exited && left.isEmpty();
            return new Scenario.Result(String.format(Locale.ROOT, "sample app jar with java -jar, pool(%d); %d "
                    + "requests of a %.0f s task (%d running, %d queued); SIGTERM 1 s in", WORKERS, 2 * WORKERS,
                    TASK_MILLIS / 1000.0, WORKERS, WORKERS), figure, held);
        } finally {
            app.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            Files.deleteIfExists(log);
        }
    }

    private static HttpRequest post(int port, long millis) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/sleep?millis=" + millis))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private static int awaitPort(Process app, Path log) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            Matcher port = PORT.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (port.find()) {
                return Integer.parseInt(port.group(1));
            }
            if (!app.isAlive()) {
                throw new IllegalStateException("the app exited with " + app.exitValue() + " before it listened");
            }
            Os.sleep(100);
        }
        throw new IllegalStateException("the app did not listen within 120 s");
    }
}
