package dev.mcpgateway.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A script from the repository's {@code interop/} folder (independent MCP implementations from npm: the
 * official TypeScript SDKs and reference servers) run with {@code node} as a child process, spoken to by JSON
 * lines: each command written to its stdin gets one reply line on its stdout carrying the command's
 * {@code id}; lines without an id (such as a server's {@code {"port":N}}) are read with {@link #nextLine}.
 * See {@code interop/README.md} for the scripts and their commands.
 *
 * <p>Missing prerequisites fail the test (never skip it): without {@code node} >= 20 on the PATH or without
 * the pinned packages in {@code interop/node_modules} the start throws an {@link AssertionError} that says
 * what to install and run. The child's stderr is kept in a buffer that failure messages show; nothing is
 * printed when all goes well. Every wait is bounded; {@link #close()} ends the child and everything it
 * started.
 *
 * <pre>{@code
 * try (NodePeer server = NodePeer.v2StatelessServer(); NodePeer client = NodePeer.v2Client(server.endpoint())) {
 *     JsonNode result = client.call(NodePeer.op("callTool").put("name", "echo").set("arguments", args));
 * }
 * }</pre>
 */
public final class NodePeer implements AutoCloseable {
    /** How long a reply (or an unsolicited line) may take unless the builder or the call says otherwise. */
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(20);
    /** The oldest node the scripts and the pinned SDKs support. */
    public static final int MIN_NODE_MAJOR = 20;

    public static final String V2_CLIENT = "v2-client.mjs";
    public static final String V1_CLIENT = "v1-client.mjs";
    public static final String V2_STATELESS_SERVER = "v2-stateless-server.mjs";
    public static final String EVERYTHING_HTTP_SERVER = "everything-http.mjs";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int STDERR_LIMIT = 64 * 1024;
    private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Map<Path, Integer> NODE_MAJORS = new ConcurrentHashMap<>();
    private static final Set<Path> VERIFIED_INSTALLS = ConcurrentHashMap.newKeySet();
    /** Queued after the last stdout line, so a waiting {@link #nextLine} wakes when the child is gone. */
    private static final JsonNode END = MAPPER.createObjectNode().put("end of stdout", true);

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final Duration replyTimeout;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonNode> unsolicited = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private final StringBuilder noise = new StringBuilder();
    private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();
    private volatile String exited;
    private volatile Integer port;
    private boolean closed;

    private NodePeer(String name, Process process, Duration replyTimeout) {
        this.name = name;
        this.process = process;
        this.replyTimeout = replyTimeout;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        daemon(name + "-stderr", () -> pumpStderr(process.getErrorStream()));
        daemon(name + "-stdout", () -> pumpStdout(process.getInputStream()));
    }

    // ---------------------------------------------------------------- starting

    /** A builder for any script in {@code interop/}. */
    public static Builder script(String script) {
        return new Builder(script);
    }

    /** The v2 SDK client, pinned to protocol 2026-07-28, aimed at an MCP endpoint (it connects on the first op). */
    public static NodePeer v2Client(URI endpoint) {
        return script(V2_CLIENT).args(endpoint.toString()).start();
    }

    /** The v1 SDK client (legacy era, sessions) aimed at an MCP endpoint (it connects on the first op). */
    public static NodePeer v1Client(URI endpoint) {
        return script(V1_CLIENT).args(endpoint.toString()).start();
    }

    /** The stateless 2026-07-28-only server of the v2 SDK on a free port of 127.0.0.1; ready when returned. */
    public static NodePeer v2StatelessServer() {
        return startServer(script(V2_STATELESS_SERVER));
    }

    /** The same server, also serving 2025-era clients through the SDK's stateless legacy fallback. */
    public static NodePeer v2StatelessServerWithLegacy() {
        return startServer(script(V2_STATELESS_SERVER).args("0", "--legacy"));
    }

    /** {@code @modelcontextprotocol/server-everything} over Streamable HTTP (legacy era) on 127.0.0.1; ready. */
    public static NodePeer everythingServer() {
        return startServer(script(EVERYTHING_HTTP_SERVER));
    }

    private static NodePeer startServer(Builder builder) {
        NodePeer peer = builder.start();
        try {
            peer.port();
            return peer;
        } catch (RuntimeException | Error e) {
            peer.close();
            throw e;
        }
    }

    /**
     * The command line that runs a stdio MCP server installed in {@code interop/node_modules}, for a gateway to
     * launch as a plugin: {@code stdioServerCommand("@modelcontextprotocol/server-memory")} is
     * {@code [/usr/bin/node, <interop>/node_modules/@modelcontextprotocol/server-memory/dist/index.js]} plus
     * {@code args}. Checks the prerequisites like {@link Builder#start()}.
     */
    public static List<String> stdioServerCommand(String packageName, String... args) {
        Path node = requireNode(System.getenv("PATH"));
        Path interop = interopDir();
        requireInstalled(interop);
        Path pkg = interop.resolve("node_modules").resolve(packageName);
        JsonNode bin;
        try {
            bin = MAPPER.readTree(pkg.resolve("package.json").toFile()).path("bin");
        } catch (IOException e) {
            throw new AssertionError("no package " + packageName + " in " + interop.resolve("node_modules") + ": " + e, e);
        }
        String main = bin.isTextual() ? bin.asText() : bin.size() == 1 ? bin.elements().next().asText() : null;
        if (main == null) {
            throw new AssertionError(packageName + " does not name exactly one executable in its package.json bin: " + bin);
        }
        List<String> command = new ArrayList<>(List.of(node.toString(), pkg.resolve(main).normalize().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** A command for the client scripts: {@code {"op": op}}, to which the caller adds the op's fields. */
    public static ObjectNode op(String op) {
        return MAPPER.createObjectNode().put("op", op);
    }

    /** The shared mapper, for building arguments. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    // ---------------------------------------------------------------- talking

    /**
     * Sends a command and waits for its reply: the whole reply object, {@code {"id", "result", ...}} or
     * {@code {"id", "error": {code, message, data?}}}. An {@code id} is added unless the command has one.
     * Fails if no reply comes within the reply timeout or the process ends first.
     */
    public JsonNode request(ObjectNode command) {
        return request(command, replyTimeout);
    }

    /** {@link #request(ObjectNode)} with its own timeout. */
    public JsonNode request(ObjectNode command, Duration timeout) {
        ObjectNode sent = command.deepCopy();
        CompletableFuture<JsonNode> reply = send(sent);
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.remove(sent.path("id").asText());
            throw failure("no reply within " + timeout + " to " + sent);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted waiting for the reply to " + sent);
        }
    }

    /**
     * Sends a command without waiting; the future completes with its reply (see {@link #request}) or fails
     * if the process ends first. It does not time out by itself.
     */
    public CompletableFuture<JsonNode> send(ObjectNode command) {
        if (!command.hasNonNull("id")) {
            command.put("id", "j" + ids.incrementAndGet());
        }
        String id = command.get("id").asText();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        if (exited != null) {
            pending.remove(id);
            return CompletableFuture.failedFuture(failure("cannot send " + command + ": " + exited));
        }
        try {
            synchronized (stdin) {
                stdin.write(MAPPER.writeValueAsString(command));
                stdin.write('\n');
                stdin.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            return CompletableFuture.failedFuture(failure("cannot send " + command + ": " + e));
        }
        return reply;
    }

    /** Sends a command and returns the reply's {@code result}; a reply with an {@code error} fails the test. */
    public JsonNode call(ObjectNode command) {
        JsonNode reply = request(command);
        if (reply.has("error")) {
            throw failure("error reply " + reply.get("error") + " to " + command);
        }
        return reply.path("result");
    }

    /** The next stdout line that answers no command (e.g. {@code {"port":N}}), waiting at most {@code timeout}. */
    public JsonNode nextLine(Duration timeout) {
        try {
            JsonNode line = unsolicited.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == END) {
                unsolicited.add(END);
                throw failure("no further output: " + exited);
            }
            if (line == null) {
                throw failure("no output line within " + timeout);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted waiting for an output line");
        }
    }

    /** For the server scripts: the port from their first line {@code {"port":N}} (read once, then kept). */
    public int port() {
        if (port == null) {
            JsonNode line = nextLine(replyTimeout);
            if (!line.path("port").canConvertToInt() || line.path("port").asInt() <= 0) {
                throw failure("expected {\"port\":N} as the first line, got " + line);
            }
            port = line.path("port").asInt();
        }
        return port;
    }

    /** For the server scripts: {@code http://127.0.0.1:<port>/mcp}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port() + "/mcp");
    }

    /** What the child wrote to stderr so far (the last 64 KiB). */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** An assertion failure naming this peer, with its stderr (and any stray stdout) appended. */
    public AssertionError failure(String message) {
        StringBuilder text = new StringBuilder(this + ": " + message);
        if (exited != null && !message.contains(exited)) {
            text.append(" (").append(exited).append(')');
        }
        String err = stderr();
        text.append(err.isBlank() ? "\n--- stderr: (empty)" : "\n--- stderr:\n" + err.stripTrailing());
        synchronized (noise) {
            if (!noise.isEmpty()) {
                text.append("\n--- stdout lines that were not JSON:\n").append(noise.toString().stripTrailing());
            }
        }
        return new AssertionError(text.toString());
    }

    /**
     * Ends the child and its descendants: closes stdin (the scripts exit on that), waits up to 2 s, then
     * terminates what is left, and after another 2 s kills it.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        try {
            synchronized (stdin) {
                stdin.close();
            }
        } catch (IOException ignored) {
            // already gone
        }
        if (!awaitExit(process.toHandle(), Duration.ofSeconds(2))) {
            tree.forEach(ProcessHandle::destroy);
        }
        for (ProcessHandle handle : tree) {
            if (!awaitExit(handle, Duration.ofSeconds(2))) {
                handle.destroyForcibly();
            }
        }
    }

    @Override
    public String toString() {
        return "node " + name + " (pid " + process.pid() + ")";
    }

    // ---------------------------------------------------------------- prerequisites

    /**
     * The repository's {@code interop/} folder: the nearest {@code interop/package.json} at or above
     * {@code user.dir}. Fails if there is none.
     */
    public static Path interopDir() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("interop").resolve("package.json"))) {
                return dir.resolve("interop");
            }
        }
        throw new AssertionError("no interop/package.json at or above " + start
                + ": the interop tests need the repository's interop/ folder");
    }

    /**
     * The {@code node} executable on {@code path} (a PATH value), checked to be version {@value #MIN_NODE_MAJOR}
     * or newer. Fails with what to install otherwise.
     */
    public static Path requireNode(String path) {
        Path node = null;
        for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String file : List.of("node", "node.exe")) {
                Path candidate = Path.of(dir, file);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    node = candidate;
                    break;
                }
            }
            if (node != null) {
                break;
            }
        }
        if (node == null) {
            throw new AssertionError("node is not on the PATH (" + path + "). The interop tests run independent MCP"
                    + " implementations (the official TypeScript SDKs) with node >= " + MIN_NODE_MAJOR + "."
                    + " Install node and npm (Debian/Ubuntu: apt-get install -y nodejs npm), then run"
                    + " `npm ci --prefix interop` in the repository root; or run `bash .ci/run`, which does both.");
        }
        int major = NODE_MAJORS.computeIfAbsent(node, NodePeer::nodeMajor);
        if (major < MIN_NODE_MAJOR) {
            throw new AssertionError(node + " is node " + major + "; the interop tests need node >= " + MIN_NODE_MAJOR
                    + ". Install a newer one (e.g. from https://nodejs.org or your distribution: apt-get install -y"
                    + " nodejs npm) and put it first on the PATH.");
        }
        return node;
    }

    /**
     * Checks that {@code interop/node_modules} holds every dependency of {@code interop/package.json} at its
     * pinned version. Fails with the command to run otherwise.
     */
    public static void requireInstalled(Path interop) {
        if (VERIFIED_INSTALLS.contains(interop)) {
            return;
        }
        JsonNode dependencies;
        try {
            dependencies = MAPPER.readTree(interop.resolve("package.json").toFile()).path("dependencies");
        } catch (IOException e) {
            throw new AssertionError("cannot read " + interop.resolve("package.json") + ": " + e, e);
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> dependency : dependencies.properties()) {
            Path manifest = interop.resolve("node_modules").resolve(dependency.getKey()).resolve("package.json");
            String wanted = dependency.getValue().asText();
            if (!Files.isRegularFile(manifest)) {
                problems.add(dependency.getKey() + " " + wanted + " is missing");
                continue;
            }
            try {
                String found = MAPPER.readTree(manifest.toFile()).path("version").asText();
                if (!found.equals(wanted)) {
                    problems.add(dependency.getKey() + " is " + found + ", package.json pins " + wanted);
                }
            } catch (IOException e) {
                problems.add(dependency.getKey() + ": unreadable " + manifest + " (" + e.getMessage() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(interop.resolve("node_modules") + " is not installed as pinned: "
                    + String.join("; ", problems) + ". Run `npm ci --prefix interop` in the repository root"
                    + " (" + interop.getParent() + "), or `bash .ci/run`, which also installs node if needed.");
        }
        VERIFIED_INSTALLS.add(interop);
    }

    private static int nodeMajor(Path node) {
        try {
            Process version = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
            version.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(version.getInputStream()));
            if (!version.waitFor(10, TimeUnit.SECONDS)) {
                version.destroyForcibly();
                throw new AssertionError(node + " --version did not answer within 10 s");
            }
            String text = output.get(2, TimeUnit.SECONDS).trim();
            Matcher matcher = NODE_VERSION.matcher(text);
            if (!matcher.find()) {
                throw new AssertionError(node + " --version printed '" + text + "', not a node version");
            }
            return Integer.parseInt(matcher.group(1));
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot run " + node + " --version: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + node + " --version", e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private static void daemon(String name, Runnable body) {
        Thread.ofPlatform().name(name).daemon(true).start(body);
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    private void pumpStdout(InputStream out) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode message;
                try {
                    message = MAPPER.readTree(line);
                } catch (JsonProcessingException e) {
                    synchronized (noise) {
                        noise.append(line).append('\n');
                    }
                    continue;
                }
                CompletableFuture<JsonNode> reply = message.hasNonNull("id")
                        ? pending.remove(message.get("id").asText()) : null;
                if (reply != null) {
                    reply.complete(message);
                } else {
                    unsolicited.add(message);
                }
            }
        } catch (IOException e) {
            // the pipe broke: the process is gone or closing, handled below
        }
        // A child that closed its stdout is ending; on a loaded machine that can take seconds, and the failure should
        // say how it ended. Bounded, and only a child that is going anyway is waited for. The Process itself is waited
        // on: its handle's onExit could complete while isAlive() still said true, and the failure then read "its
        // stdout closed" for a child that had exited (seen once in CI).
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            stderrDone.get(2, TimeUnit.SECONDS); // so the failure shows all the child said before it went
        } catch (ExecutionException | TimeoutException e) {
            // show what there is
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exited = process.isAlive() ? "its stdout closed" : "it exited with code " + process.exitValue();
        AssertionError gone = failure("ended before replying");
        pending.values().forEach(reply -> reply.completeExceptionally(gone));
        pending.clear();
        unsolicited.add(END);
    }

    private void pumpStderr(InputStream err) {
        try (InputStreamReader reader = new InputStreamReader(err, StandardCharsets.UTF_8)) {
            char[] buffer = new char[4096];
            for (int n; (n = reader.read(buffer)) >= 0; ) {
                synchronized (stderr) {
                    stderr.append(buffer, 0, n);
                    if (stderr.length() > STDERR_LIMIT) {
                        stderr.delete(0, stderr.length() - STDERR_LIMIT);
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone
        } finally {
            stderrDone.complete(null);
        }
    }

    /** Starts a script: {@code node <script> <args>} in {@code interop/}. */
    public static final class Builder {
        private final String script;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String path = System.getenv("PATH");
        private Path interop;
        private Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;

        private Builder(String script) {
            this.script = script;
        }

        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        /** An environment variable for the child (which otherwise inherits the test's environment). */
        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** The PATH that node is looked up on and the child gets (default: the test's PATH). */
        public Builder path(String value) {
            path = value;
            return this;
        }

        /** The interop folder (default: {@link #interopDir()}). */
        public Builder interopDir(Path dir) {
            interop = dir;
            return this;
        }

        public Builder replyTimeout(Duration timeout) {
            replyTimeout = timeout;
            return this;
        }

        /** Checks the prerequisites and starts the script; fails with what to install if one is missing. */
        public NodePeer start() {
            Path node = requireNode(path);
            Path dir = interop != null ? interop : NodePeer.interopDir();
            requireInstalled(dir);
            if (!Files.isRegularFile(dir.resolve(script))) {
                throw new AssertionError("no script " + dir.resolve(script));
            }
            List<String> command = new ArrayList<>(List.of(node.toString(), script));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
            if (path != null) {
                builder.environment().put("PATH", path);
            }
            builder.environment().putAll(env);
            try {
                return new NodePeer(script, builder.start(), replyTimeout);
            } catch (IOException e) {
                throw new AssertionError("cannot start " + String.join(" ", command) + " in " + dir + ": " + e, e);
            }
        }
    }
}
