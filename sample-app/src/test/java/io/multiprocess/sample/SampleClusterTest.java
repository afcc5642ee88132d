package io.multiprocess.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.multiprocess.ProcessPool;
import io.multiprocess.hazelcast.ClusterMember;
import io.multiprocess.hazelcast.ClusterPool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the sample in the 'cluster' profile, as the README starts them (here in one JVM, each with its
 * own Hazelcast member and worker JVM): a request to one spreads its parts over both instances' workers, and both
 * report the cluster in health and the endpoint.
 */
class SampleClusterTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SampleApplication.class).profiles("cluster").run(
                "--server.port=0", "--multiprocess.start-method=spawn", "--multiprocess.pool.processes=1",
                "--multiprocess.pools.isolated.processes=1",
                "--multiprocess.jvm-arguments=-Xmx128m", "--multiprocess.cluster.key=the sample test's cluster key",
                "--management.tracing.sampling.probability=0");
    }

    @Test
    void aRequestToOneInstanceRunsOnTheWorkersOfBoth() throws Exception {
        try (ConfigurableApplicationContext first = start(); ConfigurableApplicationContext second = start()) {
            ClusterPool pool = first.getBean(ClusterPool.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (pool.members().stream().filter(ClusterMember::serving).count() < 2) {
                assertThat(System.nanoTime()).as("both instances serve").isLessThan(deadline);
                Thread.sleep(20);
            }

            HttpResponse<String> primes = send(first, "POST", "/api/cluster/primes?limit=100000&parts=8");
            assertThat(primes.statusCode()).isEqualTo(200);
            long firstWorker = first.getBean("multiprocessPool", ProcessPool.class).snapshot().workers().get(0).pid();
            long secondWorker = second.getBean("multiprocessPool", ProcessPool.class).snapshot().workers().get(0)
                    .pid();
            assertThat(primes.body()).contains("\"primesEach\":9592")
                    .containsPattern("\"partsByWorkerPid\":\\{[^}]*\"" + firstWorker + "\":[1-9]")
                    .containsPattern("\"partsByWorkerPid\":\\{[^}]*\"" + secondWorker + "\":[1-9]");

            HttpResponse<String> health = send(second, "GET", "/actuator/health/multiprocessCluster");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"membersServing\":2");
            HttpResponse<String> report = send(second, "GET", "/actuator/multiprocess");
            assertThat(report.body()).contains("\"cluster\":{\"name\":\"primes\"")
                    .containsPattern("\"tasksServed\":[1-9]");
        }
    }

    private HttpResponse<String> send(ConfigurableApplicationContext context, String method, String path)
            throws Exception {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
