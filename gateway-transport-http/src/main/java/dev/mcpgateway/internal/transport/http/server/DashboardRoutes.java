package dev.mcpgateway.internal.transport.http.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /dashboard}: a live page for operators, three static resources beside this class ({@code dashboard/}:
 * the page, its script and its style sheet) read once. The page holds no data of its own: its script polls the
 * management API from the same origin with the token the operator types in, so the resources need no token
 * ({@link ApiAccess}) and a browser can load the page that asks for one. Each answer forbids scripts, styles and
 * connections from other origins, and framing, so the page cannot be turned against the API it reads.
 */
final class DashboardRoutes {
    /** The page's path; its script and style sheet are beneath it. */
    static final String PATH = "/dashboard";
    static final String SCRIPT_PATH = PATH + "/dashboard.js";
    static final String STYLE_PATH = PATH + "/dashboard.css";
    /** Only this origin's script, style and API; SVG sparklines are drawn through the DOM, so no inline code. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final RouteReply page = load("dashboard.html", "text/html; charset=utf-8");
    private final RouteReply script = load("dashboard.js", "text/javascript; charset=utf-8");
    private final RouteReply style = load("dashboard.css", "text/css; charset=utf-8");

    /** Adds the page, its script and its style sheet. */
    void addRoutes(RouteTable.Builder table) {
        table.route("GET", PATH, request -> page)
                .route("GET", SCRIPT_PATH, request -> script)
                .route("GET", STYLE_PATH, request -> style);
    }

    /** Whether a route is one of the dashboard's resources, which need no token. */
    static boolean isDashboard(String template) {
        return template.equals(PATH) || template.startsWith(PATH + "/");
    }

    private static RouteReply load(String name, String contentType) {
        String resource = "dashboard/" + name;
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing beside " + DashboardRoutes.class.getName());
            }
            return RouteReply.text(200, contentType, new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .withHeader("X-Content-Type-Options", "nosniff");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
