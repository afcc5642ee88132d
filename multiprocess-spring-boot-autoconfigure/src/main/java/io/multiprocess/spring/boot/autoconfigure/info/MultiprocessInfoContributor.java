package io.multiprocess.spring.boot.autoconfigure.info;

import io.multiprocess.BaseContext;
import io.multiprocess.Multiprocess;
import io.multiprocess.ProcessPool;
import io.multiprocess.reduction.Reducers;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * The {@code multiprocess} section of {@code /actuator/info}: the library's version, and for the application's
 * context and each pool the start method, the reducer and the worker JVM (its executable and, when it is the JVM
 * running the application, its version). JVM arguments are left out: they may carry secrets
 * ({@code -D...password=}, an agent's token).
 *
 * <pre>
 * "multiprocess": {
 *   "version": "0.1.0",
 *   "startMethod": "forkserver", "reducer": "kryo",
 *   "workerJvm": {"executable": "/usr/lib/jvm/temurin-17/bin/java", "version": "17.0.13+11"},
 *   "pools": {"multiprocessPool": {"processes": 2, "startMethod": "forkserver", "reducer": "kryo", ...}}
 * }
 * </pre>
 */
public class MultiprocessInfoContributor implements InfoContributor {

    private final BaseContext context;
    private final Supplier<Map<String, ProcessPool>> pools;

    /** @param context the application's context, or null when it has none or several */
    public MultiprocessInfoContributor(BaseContext context, Supplier<Map<String, ProcessPool>> pools) {
        this.context = context;
        this.pools = pools;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> details = new LinkedHashMap<>();
        String version = Multiprocess.class.getPackage().getImplementationVersion();
        details.put("version", version != null ? version : "unknown (not loaded from the released jar)");
        if (context != null) {
            details.putAll(describe(context));
        }
        Map<String, Object> byPool = new TreeMap<>();
        pools.get().forEach((name, pool) -> {
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("processes", pool.snapshot().processes());
            described.putAll(describe(pool.context()));
            byPool.put(name, described);
        });
        details.put("pools", byPool);
        builder.withDetail("multiprocess", details);
    }

    private static Map<String, Object> describe(BaseContext context) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("startMethod", context.getStartMethod());
        described.put("reducer", Reducers.nameOf(context.getReducer()));
        Map<String, Object> jvm = new LinkedHashMap<>();
        Path executable = context.getExecutable();
        if (executable == null) {
            jvm.put("executable", Path.of(System.getProperty("java.home"), "bin", "java").toString());
            jvm.put("version", Runtime.version().toString());
        } else {
            jvm.put("executable", executable.toString());
        }
        described.put("workerJvm", jvm);
        return described;
    }
}
