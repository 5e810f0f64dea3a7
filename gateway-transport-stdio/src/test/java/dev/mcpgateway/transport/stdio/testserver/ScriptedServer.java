package dev.mcpgateway.transport.stdio.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcRequest;
import dev.mcpgateway.jsonrpc.JsonRpcResponse;
import dev.mcpgateway.plugin.TransportSpec;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A stand-in plugin server for the stdio tests, run as a real child process. It reads JSON-RPC lines from
 * stdin and answers each request with {@code {"method": ..., "params": ...}}, shaped by the modes given as
 * arguments (they combine):
 * <ul>
 * <li>{@code garbage}: before each answer, a non-JSON line on stdout and a valid JSON-RPC line on stderr</li>
 * <li>{@code exit-after-first}: exits with code 3 after the first answer</li>
 * <li>{@code ignore}: never answers</li>
 * <li>{@code huge}: before each answer, a JSON-RPC line of {@code params.size} bytes</li>
 * <li>{@code env}: adds {@code value} (the variable named {@code params.name}), {@code envKeys} and {@code cwd}</li>
 * <li>{@code spawn-child}: starts a long-sleeping child that shares its stdout, and adds {@code childPid}</li>
 * <li>{@code stubborn}: ignores stdin EOF and blocks SIGTERM in a shutdown hook, so only SIGKILL stops it</li>
 * <li>{@code sleep}: does nothing but sleep (the child of {@code spawn-child})</li>
 * </ul>
 * Everything sleeps at most {@link #LINGER_MILLIS}, so a failed test leaks nothing for long.
 */
public final class ScriptedServer {
    private static final long LINGER_MILLIS = 30_000;
    private static final JsonRpcCodec CODEC = JsonRpcCodec.INSTANCE;

    private ScriptedServer() {
    }

    /** How a test launches this server with the given modes. */
    public static TransportSpec.Stdio spec(String... modes) {
        return spec(Map.of(), false, null, modes);
    }

    /** How a test launches this server with the given modes, environment and working directory. */
    public static TransportSpec.Stdio spec(Map<String, String> env, boolean inheritEnv, Path workingDirectory,
            String... modes) {
        return new TransportSpec.Stdio(JavaMain.executable(), JavaMain.args(ScriptedServer.class, modes), env, inheritEnv,
                workingDirectory);
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Set<String> modes = Set.of(args);
        if (modes.contains("sleep")) {
            Thread.sleep(LINGER_MILLIS);
            return;
        }
        Long childPid = modes.contains("spawn-child") ? spawnChild() : null;
        if (modes.contains("stubborn")) {
            Runtime.getRuntime().addShutdownHook(new Thread(ScriptedServer::linger));
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (!(CODEC.decode(line) instanceof JsonRpcRequest request) || modes.contains("ignore")) {
                continue;
            }
            if (modes.contains("garbage")) {
                out.print("this is not JSON-RPC, method " + request.method() + "\n");
                System.err.println("{\"jsonrpc\":\"2.0\",\"method\":\"from-stderr\"}");
            }
            if (modes.contains("huge")) {
                String pad = "x".repeat(request.params().get("size").intValue());
                out.print("{\"jsonrpc\":\"2.0\",\"method\":\"huge\",\"params\":{\"pad\":\"" + pad + "\"}}\n");
            }
            ObjectNode result = Json.object();
            result.put("method", request.method());
            result.set("params", request.params());
            if (modes.contains("env")) {
                addEnvironment(result, request.params());
            }
            if (childPid != null) {
                result.put("childPid", childPid);
            }
            out.print(CODEC.encodeToString(JsonRpcResponse.success(request.id(), result)) + "\n");
            out.flush();
            if (modes.contains("exit-after-first")) {
                System.exit(3);
            }
        }
        if (modes.contains("stubborn")) {
            linger();
        }
    }

    private static void addEnvironment(ObjectNode result, JsonNode params) {
        result.put("value", System.getenv(params.get("name").textValue()));
        ArrayNode keys = result.putArray("envKeys");
        new TreeSet<>(System.getenv().keySet()).forEach(keys::add);
        result.put("cwd", Path.of("").toAbsolutePath().toString());
    }

    private static long spawnChild() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(JavaMain.executable());
        command.addAll(JavaMain.args(ScriptedServer.class, "sleep"));
        // The child writes to the same stdout pipe, as the helpers of real servers (npx, shells) do.
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start()
                .pid();
    }

    private static void linger() {
        try {
            Thread.sleep(LINGER_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
