package dev.mcpgateway.examples.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.transport.http.PluginRegistration;
import dev.mcpgateway.transport.http.RegistrationRejectedException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code mcp-gateway register --gateway URL --manifest FILE ...}: keeps a plugin instance registered with a gateway on
 * the plugin's behalf, heartbeating until the process is stopped, then deregisters it. For a plugin in any language
 * that cannot register itself: run this beside it, as a sidecar.
 */
final class RegisterCommand {
    /** The subcommand's name, the first argument. */
    static final String NAME = "register";
    /** What {@code register --help} and a usage error print. */
    static final String USAGE = """
            usage: mcp-gateway register --gateway URL --manifest FILE [--instance-id ID] [--lease 30s] [--header Name=Value]...
              --gateway URL        the gateway to register with, e.g. http://127.0.0.1:9105 (its API is under /api/v1)
              --manifest FILE      the plugin's manifest, JSON: the gateway's manifest or an MCP registry server.json
              --instance-id ID     the instance's id (default: the manifest's, else <plugin>-<8 random hex digits>)
              --lease DURATION     how long the gateway keeps it without a heartbeat, 1s to 24h (default: the
                                   manifest's, else 30s); heartbeats every third of it
              --header Name=Value  a header sent with every request, e.g. for a bearer token; repeatable
              --help               print this and exit
            Keeps the instance registered until stopped (SIGTERM, Ctrl-C), then deregisters it and exits 0.""";
    /** How long a stop may take: the deregistration's request timeout twice (a request in flight, then it), and some. */
    private static final Duration STOP_BOUND = PluginRegistration.DEFAULT_REQUEST_TIMEOUT.multipliedBy(2).plusSeconds(1);

    private RegisterCommand() {
    }

    /**
     * Runs until the process is told to stop (SIGTERM, SIGINT), then deregisters and lets it exit 0 rather than the
     * JVM's 128 + signal: stopping is this command's normal end.
     *
     * @return the exit status when it ends by itself: 1 when the gateway rejected the manifest, 2 for bad arguments
     */
    static int runUntilStopped(String[] args, PrintStream out, PrintStream err) {
        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<Integer> finished = new CompletableFuture<>();
        Thread hook = new Thread(() -> {
            stop.countDown();
            int status = 0;
            try {
                status = finished.get(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                err.println("mcp-gateway register: stopped before the gateway confirmed the deregistration");
            }
            out.flush();
            err.flush();
            // halt: the JVM would otherwise exit 143 (SIGTERM) or 130 (SIGINT) after the hooks.
            Runtime.getRuntime().halt(status);
        }, "mcp-gateway-register-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int status = run(args, out, err, stop);
        finished.complete(status);
        try {
            // Ended by itself (an error): exit normally, with its status, not through the hook's halt.
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // A signal came meanwhile: the hook exits with the status just completed.
        }
        return status;
    }

    /**
     * Registers the manifest and keeps it registered until {@code stop} counts down, then deregisters.
     *
     * @return 0 after a stop, 1 when the gateway rejected the manifest, 2 for bad arguments or an unreadable manifest
     */
    static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        Arguments arguments;
        PluginRegistration registration;
        try {
            arguments = Arguments.parse(args);
            if (arguments.help()) {
                out.println(USAGE);
                return 0;
            }
            PluginRegistration.Builder builder = PluginRegistration.builder().gateway(arguments.gateway())
                    .document(readManifest(arguments.manifest()));
            if (arguments.instanceId() != null) {
                builder.instanceId(arguments.instanceId());
            }
            if (arguments.lease() != null) {
                builder.lease(arguments.lease());
            }
            arguments.headers().forEach(builder::header);
            registration = builder.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("mcp-gateway register: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try (registration) {
            registration.start();
            out.println("Registering instance " + registration.instanceId() + " with " + arguments.gateway()
                    + " (lease " + registration.lease().toSeconds() + " s); stop with Ctrl-C or SIGTERM to deregister it");
            out.flush();
            // Wait for the stop, watching for a rejection meanwhile: the only way this command fails by itself.
            while (!stop.await(200, TimeUnit.MILLISECONDS)) {
                registration.awaitRegistered(Duration.ZERO); // throws once the gateway rejected the manifest
            }
            return 0;
        } catch (RegistrationRejectedException e) {
            err.println("mcp-gateway register: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The manifest file as JSON. */
    static JsonNode readManifest(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read the manifest " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the manifest " + file + ": " + e.getMessage());
        }
        JsonNode manifest;
        try {
            manifest = Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the manifest " + file + " is not valid JSON, line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the manifest " + file + ": " + e.getMessage());
        }
        if (manifest == null || !manifest.isObject()) {
            throw new IllegalArgumentException("the manifest " + file + " must hold one JSON object, such as"
                    + " {\"name\": \"notes\", \"transport\": {\"type\": \"http\", \"url\": \"http://127.0.0.1:8081/mcp\"}}");
        }
        return manifest;
    }

    /**
     * The subcommand's arguments, parsed.
     *
     * @param headers header names to values, in the order given (values are credentials: never print them)
     */
    record Arguments(URI gateway, Path manifest, String instanceId, Duration lease, Map<String, String> headers,
                     boolean help) {
        @Override
        public String toString() {
            return "Arguments[gateway=" + gateway + ", manifest=" + manifest + ", instanceId=" + instanceId
                    + ", lease=" + lease + ", headers=" + headers.keySet() + ", help=" + help + "]";
        }

        /**
         * Parses the arguments after {@code register}.
         *
         * @throws IllegalArgumentException saying which argument is wrong or missing
         */
        static Arguments parse(String[] args) {
            URI gateway = null;
            Path manifest = null;
            String instanceId = null;
            Duration lease = null;
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    return new Arguments(null, null, null, null, Map.of(), true);
                }
                if (!arg.equals("--gateway") && !arg.equals("--manifest") && !arg.equals("--instance-id")
                        && !arg.equals("--lease") && !arg.equals("--header")) {
                    throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                String value = args[++i];
                switch (arg) {
                    case "--gateway" -> gateway = gatewayUri(value);
                    case "--manifest" -> manifest = Path.of(value);
                    case "--instance-id" -> instanceId = value;
                    case "--lease" -> lease = Durations.parse(value);
                    default -> {
                        int equals = value.indexOf('=');
                        if (equals <= 0) {
                            throw new IllegalArgumentException("--header takes Name=Value, e.g. --header"
                                    + " 'Authorization=Bearer ...'; got no name and '=' in it");
                        }
                        headers.put(value.substring(0, equals).strip(), value.substring(equals + 1));
                    }
                }
            }
            if (gateway == null) {
                throw new IllegalArgumentException("--gateway is required: the gateway to register with, e.g."
                        + " --gateway http://127.0.0.1:9105");
            }
            if (manifest == null) {
                throw new IllegalArgumentException("--manifest is required: the plugin's manifest as a JSON file");
            }
            return new Arguments(gateway, manifest, instanceId, lease, Collections.unmodifiableMap(headers), false);
        }

        private static URI gatewayUri(String value) {
            try {
                URI uri = new URI(value);
                if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                        && uri.getHost() != null) {
                    return uri;
                }
            } catch (java.net.URISyntaxException e) {
                // said below
            }
            throw new IllegalArgumentException("--gateway takes an http:// or https:// URL such as"
                    + " http://127.0.0.1:9105, got '" + value + "'");
        }
    }
}
