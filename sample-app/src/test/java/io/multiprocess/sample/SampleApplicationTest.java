package io.multiprocess.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/** The sample over HTTP on a real port, with real worker JVMs behind it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"multiprocess.pool.processes=1", "multiprocess.jvm-arguments=-Xmx128m"})
class SampleApplicationTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Value("${local.server.port}")
    int port;

    @Test
    void workRunsInAWorkerJvmAndShowsInHealthMetricsAndTheEndpoint() throws Exception {
        HttpResponse<String> primes = post("/api/primes?limit=100000");
        assertThat(primes.statusCode()).isEqualTo(200);
        assertThat(primes.body()).contains("\"primes\":9592").doesNotContain(
                "\"workerPid\":" + ProcessHandle.current().pid() + ",");

        assertThat(post("/api/cluster/primes?limit=1000").statusCode()).as("no cluster pool without the profile")
                .isEqualTo(404);

        HttpResponse<String> health = get("/actuator/health/multiprocess");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).endsWith("\"status\":\"UP\"}").contains("\"pools\":{")
                .contains("\"isolated\":{").contains("\"multiprocessPool\":{").contains("\"connections\":{")
                .contains("\"startMethod\":\"forkserver\"");

        HttpResponse<String> tasks = get("/actuator/metrics/multiprocess.pool.tasks");
        assertThat(tasks.statusCode()).isEqualTo(200);
        assertThat(tasks.body()).contains("\"name\":\"multiprocess.pool.tasks\"").contains("\"outcome\"")
                .contains("\"tag\":\"pool\",\"values\":[").contains("\"isolated\"");
        HttpResponse<String> completed = get("/actuator/metrics/multiprocess.pool.completed?tag=pool:multiprocessPool");
        assertThat(completed.body()).containsPattern("\"statistic\":\"COUNT\",\"value\":[1-9]");

        HttpResponse<String> report = get("/actuator/multiprocess");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body()).contains("\"pools\":{").contains("\"isolated\":{")
                .contains("\"multiprocessPool\":{").contains("\"state\":\"RUNNING\"")
                .containsPattern("\"workers\":\\[\\{\"pid\":[1-9]").containsPattern("\"queues\":\\{\"results\":\\d+");
    }

    @Test
    void theEndpointListsTheCallsRunningOnEachPoolWithTheirProgress() throws Exception {
        var sleeping = http.sendAsync(HttpRequest.newBuilder(uri("/api/sleep?millis=3000")).timeout(
                Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        String report = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!report.contains("\"kind\":\"apply\"") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            report = get("/actuator/multiprocess/multiprocessPool").body();
        }
        assertThat(report).containsPattern("\"calls\":\\[\\{\"id\":\\d+,\"kind\":\"apply\",\"done\":0,"
                + "\"failed\":0,\"total\":1");
        assertThat(sleeping.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void theEndpointIsReadOnlyUntilTheApplicationOpensItsWrites() throws Exception {
        HttpResponse<String> resize = http.send(HttpRequest.newBuilder(uri("/actuator/multiprocess/isolated"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"processes\": 2}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(resize.statusCode()).as(resize.body()).isBetween(400, 499);
        assertThat(get("/actuator/multiprocess/isolated").body()).contains("\"processes\":1");
        assertThat(get("/actuator/multiprocess/missing").statusCode()).isEqualTo(404);
    }

    @Test
    void aWorkersStdoutArrivesAsALogEventOfItsPoolWithPidPoolAndTaskInTheMdc() throws Exception {
        ch.qos.logback.classic.Logger workers = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                "io.multiprocess.worker");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        workers.addAppender(events);
        try {
            HttpResponse<String> allocated = post("/api/allocate?megabytes=8");
            assertThat(allocated.statusCode()).isEqualTo(200);
            String workerPid = allocated.body().replaceAll(".*\"workerPid\":(\\d+).*", "$1");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (events.list.stream().noneMatch(e -> e.getFormattedMessage().equals("allocating 8 MiB"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(events.list).filteredOn(e -> e.getFormattedMessage().equals("allocating 8 MiB"))
                    .singleElement().satisfies(event -> {
                        assertThat(event.getLoggerName()).isEqualTo("io.multiprocess.worker.isolated");
                        assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO);
                        assertThat(event.getMDCPropertyMap()).containsEntry("mp.pool", "isolated")
                                .containsEntry("mp.pid", workerPid).containsEntry("mp.stream", "stdout")
                                .containsKey("mp.task");
                    });
        } finally {
            workers.detachAppender(events);
        }
    }

    /**
     * A traced request (W3C traceparent from the caller, as a gateway would send it): its pool task is a span of its
     * trace, and the worker JVM's log lines, relayed into this JVM, carry the request's own traceId: a structured
     * SLF4J event and a plain stdout line alike.
     */
    @Test
    void aTracedRequestsWorkerLogLinesCarryTheRequestsTraceId() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        root.addAppender(events);
        try {
            HttpResponse<String> primes = http.send(HttpRequest.newBuilder(uri("/api/primes?limit=5000"))
                    .timeout(Duration.ofSeconds(60)).header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(primes.statusCode()).isEqualTo(200);
            // The request's own traceId, as its controller saw it: the caller's trace, continued.
            assertThat(primes.body()).contains("\"traceId\":\"" + traceId + "\"");
            String workerPid = primes.body().replaceAll(".*\"workerPid\":(\\d+).*", "$1");

            HttpResponse<String> allocated = http.send(HttpRequest.newBuilder(uri("/api/allocate?megabytes=2"))
                    .timeout(Duration.ofSeconds(60)).header("traceparent", "00-" + traceId + "-00f067aa0ba902b8-01")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(allocated.statusCode()).isEqualTo(200);

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (events.list.stream().noneMatch(e -> e.getFormattedMessage().equals("allocating 2 MiB"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(List.copyOf(events.list)).filteredOn(
                    e -> e.getFormattedMessage().equals("counting the primes below 5000")).singleElement()
                    .satisfies(event -> {
                        assertThat(event.getLoggerName()).isEqualTo("io.multiprocess.sample.Work");
                        assertThat(event.getMDCPropertyMap()).containsEntry("traceId", traceId)
                                .containsEntry("mp.pid", workerPid).containsKey("spanId");
                        // The task's own span, a child of the request's.
                        assertThat(event.getMDCPropertyMap().get("spanId")).isNotEqualTo("00f067aa0ba902b7");
                    });
            assertThat(List.copyOf(events.list)).filteredOn(e -> e.getFormattedMessage().equals("allocating 2 MiB"))
                    .singleElement().satisfies(event -> assertThat(event.getMDCPropertyMap())
                            .containsEntry("traceId", traceId).containsEntry("mp.stream", "stdout"));
        } finally {
            root.detachAppender(events);
        }
    }

    @Test
    void riskyWorkRunsInTheSmallHeapPoolAndWritesToTheInjectedQueue() throws Exception {
        HttpResponse<String> small = post("/api/allocate?megabytes=16");
        assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
        assertThat(get("/api/results").body()).contains("allocated 16 MiB");

        HttpResponse<String> tooBig = post("/api/allocate?megabytes=512");
        assertThat(tooBig.statusCode()).as("-Xmx128m: the worker runs out, the service does not").isBetween(500,
                599);
        assertThat(post("/api/allocate?megabytes=16").statusCode()).isEqualTo(200);
        assertThat(post("/api/primes?limit=1000").statusCode()).isEqualTo(200);
    }

    @Test
    void aCrashingTaskFailsItsRequestAndTheNextRequestGetsANewWorker() throws Exception {
        HttpResponse<String> crash = post("/api/crash");
        assertThat(crash.statusCode()).isEqualTo(502);
        assertThat(crash.body()).contains("worker crashed").contains("about to take this worker JVM down");

        assertThat(post("/api/primes?limit=1000").statusCode()).isEqualTo(200);
        assertThat(get("/api/tasks").body()).contains("\"outcome\":\"crash\"").contains("\"outcome\":\"success\"");
    }

    @Test
    void aRunawayTaskIsCutOffByItsTimeout() throws Exception {
        HttpResponse<String> runaway = post("/api/runaway?seconds=1");
        assertThat(runaway.statusCode()).isEqualTo(504);
        assertThat(runaway.body()).contains("timed out");
        assertThat(post("/api/primes?limit=1000").statusCode()).isEqualTo(200);
    }

    @Test
    void aSleepRunsInAWorkerJvm() throws Exception {
        HttpResponse<String> sleep = post("/api/sleep?millis=50");
        assertThat(sleep.statusCode()).isEqualTo(200);
        assertThat(sleep.body()).contains("\"workerPid\":").doesNotContainPattern(
                "\"workerPid\":" + ProcessHandle.current().pid() + "[,}]");
    }

    @Test
    void theStatusPageIsServed() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Worker JVMs of this application").contains("actuator/multiprocess");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
