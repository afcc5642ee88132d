package io.multiprocess.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sample as users ship it: the repackaged Spring Boot jar started with {@code java -jar}. Its worker JVMs must
 * find the application's classes and lambdas inside {@code BOOT-INF}, and when it is stopped with SIGTERM none may
 * outlive it.
 */
class ExecutableJarIT {

    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

    @Test
    void theJarRunsLambdasInWorkersANamedPoolWithItsFlagsIsResizedAndSigtermLetsRequestsInFlightFinish()
            throws Exception {
        // One start of the jar for all of it: each start costs a JVM and a Spring Boot application on two cores.
        Path jar = Path.of(System.getProperty("sample.jar"));
        assertThat(jar).isRegularFile();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = Files.createTempFile("sample-app-sigterm", ".log");
        Process app = new ProcessBuilder(java, "-jar", jar.toString(), "--server.port=0",
                "--multiprocess.pool.processes=1", "--multiprocess.pools.cli.processes=1",
                "--multiprocess.pools.cli.jvm-arguments=-Xmx77m,-Dfrom.cli=yes",
                "--management.endpoint.multiprocess.access=unrestricted")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            int port = awaitPort(app, output);
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> primes = client.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/api/primes?limit=100000"))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(primes.statusCode()).as("a lambda of BOOT-INF ran in a worker: " + primes.body())
                    .isEqualTo(200);
            assertThat(primes.body()).contains("\"primes\":9592");

            List<Long> cliWorkers = cliWorkerPids(client, port, 1);
            String commandLine = Files.readString(Path.of("/proc/" + cliWorkers.get(0) + "/cmdline"))
                    .replace('\0', ' ');
            assertThat(commandLine).as("the named pool's worker").contains("-Xmx77m").contains("-Dfrom.cli=yes");
            HttpResponse<String> resize = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/actuator/multiprocess/cli")).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"processes\": 2}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(resize.statusCode()).as(resize.body()).isEqualTo(200);
            assertThat(cliWorkerPids(client, port, 2)).hasSize(2).contains(cliWorkers.get(0));
            assertThat(Files.readString(output, StandardCharsets.UTF_8))
                    .contains("process pool 'cli' resized from 1 to 2 workers, asked by an unauthenticated caller");

            java.util.concurrent.CompletableFuture<HttpResponse<String>> running = client.sendAsync(
                    sleepRequest(port, 3000), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            // One worker: this one waits in the pool's queue behind the first.
            java.util.concurrent.CompletableFuture<HttpResponse<String>> queued = client.sendAsync(
                    sleepRequest(port, 1000), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(700);
            List<ProcessHandle> workers = workersOf(app.pid());

            app.destroy();   // SIGTERM 1 s into the first request, as a deploy stops the old instance

            HttpResponse<String> first = running.get(60, TimeUnit.SECONDS);
            HttpResponse<String> second = queued.get(60, TimeUnit.SECONDS);
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(first.statusCode()).as(first.body() + "\n" + log).isEqualTo(200);
            assertThat(second.statusCode()).as(second.body() + "\n" + log).isEqualTo(200);
            assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the app stopped").isTrue();
            assertThat(awaitGone(workers)).as("workers still running after the app stopped").isEmpty();
            assertThat(log).doesNotContain("pool broken").doesNotContain("RejectedExecutionException")
                    .doesNotContain("exit code -15").doesNotContain("ClassNotFoundException");
        } finally {
            app.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    /** The pids of the {@code cli} pool's workers, once it has {@code count}, read from the actuator endpoint. */
    private static List<Long> cliWorkerPids(HttpClient client, int port, int count) throws Exception {
        Pattern pid = Pattern.compile("\"pid\":(\\d+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Long> pids = List.of();
        while (System.nanoTime() < deadline) {
            String pool = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/actuator/multiprocess/cli")).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            pids = pid.matcher(pool).results().map(match -> Long.parseLong(match.group(1))).toList();
            if (pids.size() >= count) {
                return pids;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the cli pool did not reach " + count + " workers: " + pids);
    }

    private static HttpRequest sleepRequest(int port, long millis) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/sleep?millis=" + millis))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private static int awaitPort(Process app, Path output) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher port = PORT.matcher(Files.readString(output, StandardCharsets.UTF_8));
            if (port.find()) {
                return Integer.parseInt(port.group(1));
            }
            if (!app.isAlive()) {
                throw new AssertionError("the app exited: " + Files.readString(output, StandardCharsets.UTF_8));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no port within 120 s: " + Files.readString(output, StandardCharsets.UTF_8));
    }

    /** The app's child JVMs: its pool's workers and warm spares. */
    private static List<ProcessHandle> workersOf(long pid) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.parent().map(ProcessHandle::pid).orElse(-1L) == pid)
                .filter(p -> p.info().arguments().map(args -> String.join(" ", args)).orElse("")
                        .contains("io.multiprocess.ChildMain"))
                .toList();
    }

    private static List<ProcessHandle> awaitGone(List<ProcessHandle> workers) throws InterruptedException {
        List<ProcessHandle> alive = workers;
        for (int i = 0; i < 100 && !alive.isEmpty(); i++) {
            Thread.sleep(100);
            alive = alive.stream().filter(ProcessHandle::isAlive).toList();
        }
        return alive;
    }
}
