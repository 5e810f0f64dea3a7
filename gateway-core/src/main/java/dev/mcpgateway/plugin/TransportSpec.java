package dev.mcpgateway.plugin;

import dev.mcpgateway.auth.UpstreamCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach a plugin instance: the description a {@code Transport} turns into a connection.
 * The gateway ships stdio, Streamable HTTP and in-process transports; {@link #type()} names the one to use.
 */
public sealed interface TransportSpec permits TransportSpec.Stdio, TransportSpec.Http, TransportSpec.InProcess {

    /** The transport's type name: {@code stdio}, {@code http} or {@code in-process}. */
    String type();

    /**
     * A plugin process launched by the gateway, speaking newline-delimited JSON-RPC on stdin/stdout.
     *
     * <p>The process does not see the gateway's environment, which holds the gateway's own credentials and those
     * the operator expands into other plugins' settings: by default it gets only the variables a program needs
     * to run, as the MCP clients that launch servers do (on POSIX {@code HOME, LOGNAME, PATH, SHELL, TERM, USER},
     * the locale {@code LANG, LANGUAGE, LC_*} and {@code TMPDIR}; on Windows the system folders, {@code PATH},
     * {@code TEMP} and the user's profile), plus {@code env}. {@code inheritEnv} passes the whole environment
     * instead, for a plugin that is trusted with it.
     *
     * @param command          the executable
     * @param args             its arguments
     * @param env              variables set in its environment, over those taken from the gateway's
     * @param inheritEnv       whether the process sees the gateway's whole environment rather than the few variables
     *                         above
     * @param workingDirectory its working directory, or null for the gateway's
     */
    record Stdio(String command, List<String> args, Map<String, String> env, boolean inheritEnv, Path workingDirectory)
            implements TransportSpec {
        public Stdio {
            Objects.requireNonNull(command, "command");
            if (command.isBlank()) {
                throw new IllegalArgumentException("a stdio plugin needs a command to run");
            }
            args = List.copyOf(args == null ? List.of() : args);
            env = Map.copyOf(env == null ? Map.of() : env);
        }

        /**
         * A process with the given command and arguments, seeing only the few variables of the gateway's environment
         * that a program needs to run (see the record's description).
         */
        public static Stdio of(String command, String... args) {
            return new Stdio(command, List.of(args), Map.of(), false, null);
        }

        @Override
        public String toString() {
            // Variables set for a plugin are credentials more often than not: never print their values.
            return "Stdio[command=" + command + ", args=" + args + ", env=" + env.keySet() + ", inheritEnv="
                    + inheritEnv + ", workingDirectory=" + workingDirectory + "]";
        }

        @Override
        public String type() {
            return "stdio";
        }
    }

    /**
     * A plugin reached over Streamable HTTP (with fallback to the legacy HTTP+SSE transport).
     *
     * @param url         the MCP endpoint, e.g. {@code http://127.0.0.1:8081/mcp}
     * @param headers     static headers sent with every request (credentials for this plugin only)
     * @param credentials the bearer token each request carries on top ({@link UpstreamCredentials#none()} by
     *                    default); with any other, {@code headers} must not hold an {@code Authorization} header
     */
    record Http(URI url, Map<String, String> headers, UpstreamCredentials credentials) implements TransportSpec {
        public Http {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("an HTTP plugin URL must be http:// or https://, got '" + url + "'");
            }
            headers = Map.copyOf(headers == null ? Map.of() : headers);
            credentials = credentials == null ? UpstreamCredentials.none() : credentials;
            if (!(credentials instanceof UpstreamCredentials.None)
                    && headers.keySet().stream().anyMatch("Authorization"::equalsIgnoreCase)) {
                throw new IllegalArgumentException("an HTTP plugin with " + credentials.type() + " credentials must not"
                        + " also have a static Authorization header: the credentials set it; remove one of the two");
            }
        }

        /** An HTTP plugin with static headers only. */
        public Http(URI url, Map<String, String> headers) {
            this(url, headers, UpstreamCredentials.none());
        }

        /** An HTTP plugin without extra headers. */
        public static Http of(String url) {
            return new Http(URI.create(url), Map.of());
        }

        /** This plugin with other upstream credentials. */
        public Http withCredentials(UpstreamCredentials newCredentials) {
            return new Http(url, headers, newCredentials);
        }

        @Override
        public String type() {
            return "http";
        }

        @Override
        public String toString() {
            // Header values are credentials more often than not: never print them.
            return "Http[url=" + url + ", headers=" + headers.keySet() + ", credentials=" + credentials + "]";
        }
    }

    /**
     * Java handlers registered by the host application, called inside the gateway's process.
     *
     * @param handlerId the id under which the handlers were registered with the in-process transport
     */
    record InProcess(String handlerId) implements TransportSpec {
        public InProcess {
            Objects.requireNonNull(handlerId, "handlerId");
        }

        @Override
        public String type() {
            return "in-process";
        }
    }
}
