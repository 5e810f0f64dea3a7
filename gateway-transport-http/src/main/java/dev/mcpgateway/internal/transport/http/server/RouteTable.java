package dev.mcpgateway.internal.transport.http.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The front door's routes other than the MCP endpoint: each a method and a path template whose {@code {name}}
 * segments capture one decoded path segment, e.g. {@code GET /api/v1/plugins/{id}}, with the query parameters it
 * takes. {@link #find} tells a request's route, or that its path is served with other methods (for {@code 405} and
 * {@code Allow}), or that nothing is served there. {@code HEAD} is served wherever {@code GET} is. Immutable and
 * thread-safe once built; a handful of routes is matched by trying each, which costs less than a request's parsing.
 */
final class RouteTable {
    /** The order {@code Allow} lists methods in. */
    private static final List<String> METHOD_ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    /** Answers one request of its route. */
    @FunctionalInterface
    interface Handler {
        RouteReply handle(ApiRequest request);
    }

    /**
     * One route.
     *
     * @param method   the method it serves ({@code GET} routes serve {@code HEAD} too)
     * @param template its path, with {@code {name}} for a segment it captures
     * @param query    the query parameters it takes; any other is refused, unless {@code strict} is off
     * @param strict   whether a query parameter it does not take is refused (the probes and the summary, older
     *                 than the API, ignore their query as they always did)
     * @param handler  what answers it
     */
    record Route(String method, String template, Set<String> query, boolean strict, Handler handler) {
        Route {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(handler, "handler");
            query = Set.copyOf(query);
            if (!template.startsWith("/")) {
                throw new IllegalArgumentException("a route template starts with '/', got '" + template + "'");
            }
        }

        /** The template's segments, without the leading empty one. */
        List<String> segments() {
            return List.of(template.substring(1).split("/", -1));
        }

        /** The captured segments of a path, or null when the path does not fit the template. */
        Map<String, String> capture(List<String> path) {
            List<String> segments = segments();
            if (segments.size() != path.size()) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                String segment = segments.get(i);
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    if (path.get(i).isEmpty()) {
                        return null; // "/plugins/" names no plugin
                    }
                    params.put(segment.substring(1, segment.length() - 1), path.get(i));
                } else if (!segment.equals(path.get(i))) {
                    return null;
                }
            }
            return params;
        }
    }

    /** What a request's method and path found. */
    sealed interface Lookup {
    }

    /** The route serving the request, with the segments its template captured. */
    record Found(Route route, Map<String, String> params) implements Lookup {
    }

    /** The path is served, but not with this method; {@code allow} lists those it is served with. */
    record WrongMethod(String allow) implements Lookup {
    }

    /** Nothing is served at the path. */
    record NotFound() implements Lookup {
    }

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** An empty builder. */
    static Builder builder() {
        return new Builder();
    }

    /** Every route, in the order added. */
    List<Route> routes() {
        return routes;
    }

    /** The route of a request; the path is already percent-decoded (by the server) and without its query. */
    Lookup find(String method, String path) {
        if (!path.startsWith("/")) {
            return new NotFound();
        }
        List<String> segments = List.of(path.substring(1).split("/", -1));
        String wanted = "HEAD".equals(method) ? "GET" : method;
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = route.capture(segments);
            if (params == null) {
                continue;
            }
            if (route.method().equals(wanted)) {
                return new Found(route, params);
            }
            allowed.add(route.method());
            if ("GET".equals(route.method())) {
                allowed.add("HEAD");
            }
        }
        if (allowed.isEmpty()) {
            return new NotFound();
        }
        List<String> sorted = new ArrayList<>(allowed);
        sorted.sort(Comparator.comparingInt(RouteTable::order)); // stable: other methods keep the order added
        return new WrongMethod(String.join(", ", sorted));
    }

    /** A path segment percent-encoded (all but RFC 3986's unreserved characters), e.g. for {@code Location}. */
    static String encodeSegment(String segment) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return encoded.toString();
    }

    private static int order(String method) {
        int index = METHOD_ORDER.indexOf(method);
        return index < 0 ? METHOD_ORDER.size() : index;
    }

    /** Builds a {@link RouteTable}. */
    static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        /** Adds a route taking no query parameters. */
        Builder route(String method, String template, Handler handler) {
            return route(method, template, Set.of(), handler);
        }

        /** Adds a route taking the named query parameters. */
        Builder route(String method, String template, Collection<String> query, Handler handler) {
            return add(new Route(method, template, Set.copyOf(query), true, handler));
        }

        /** Adds a route that ignores its query, whatever it holds. */
        Builder routeIgnoringQuery(String method, String template, Handler handler) {
            return add(new Route(method, template, Set.of(), false, handler));
        }

        private Builder add(Route added) {
            for (Route route : routes) {
                if (route.method().equals(added.method()) && route.template().equals(added.template())) {
                    throw new IllegalArgumentException(added.method() + " " + added.template() + " is routed twice");
                }
            }
            routes.add(added);
            return this;
        }

        RouteTable build() {
            return new RouteTable(routes);
        }
    }
}
