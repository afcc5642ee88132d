package io.multiprocess.spring.boot.autoconfigure.dashboard;

import io.multiprocess.ProcessPool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The dashboard's two GET routes: the page at {@code path} (and {@code path/}), its data at {@code path/data}.
 * Nothing else: no route writes, and any other method on these paths is not served by them.
 */
final class DashboardRoutes {

    static final String PAGE = "dashboard.html";

    private final String page;
    private final String contentSecurityPolicy;
    private final Supplier<Map<String, ProcessPool>> pools;
    private final DashboardHistory history;

    /** @param pools the pools by bean name, read at each request */
    DashboardRoutes(Supplier<Map<String, ProcessPool>> pools, DashboardHistory history) {
        this.pools = pools;
        this.history = history;
        this.page = read(PAGE);
        // The page's own inline script and style, and fetches to this server: nothing else, so an error message that
        // made it into the page as markup could run nothing, and the page shows it works offline.
        this.contentSecurityPolicy = "default-src 'none'; connect-src 'self'; img-src 'self' data:; script-src '"
                + hash(page, "script") + "'; style-src '" + hash(page, "style")
                + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
    }

    /** @param path where the page is, such as {@code /multiprocess} */
    RouterFunction<ServerResponse> at(String path) {
        String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        RouterFunctions.Builder routes = RouterFunctions.route();
        if (base.isEmpty()) {
            routes.GET("/", this::page);
        } else {
            routes.GET(base, this::page).GET(base + "/", this::page);
        }
        return routes.GET(base + "/data", this::data).build();
    }

    ServerResponse page(ServerRequest request) {
        return ServerResponse.ok().contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore()).header("Content-Security-Policy", contentSecurityPolicy)
                .header("X-Content-Type-Options", "nosniff").body(page);
    }

    ServerResponse data(ServerRequest request) {
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
                .body(data());
    }

    DashboardData data() {
        return DashboardData.of(pools.get(), history);
    }

    String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    private static String read(String resource) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard page " + resource + " is missing from the classpath "
                        + "next to " + DashboardRoutes.class.getName() + "; the starter's jar is incomplete");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard page " + resource, e);
        }
    }

    /** The CSP source of the one {@code <tag>} element's inline content, which allows that content only. */
    static String hash(String html, String tag) {
        Matcher element = Pattern.compile("<" + tag + ">(.*?)</" + tag + ">", Pattern.DOTALL).matcher(html);
        if (!element.find()) {
            throw new IllegalStateException("the dashboard page has no <" + tag + "> element");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(element.group(1).getBytes(
                    StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
