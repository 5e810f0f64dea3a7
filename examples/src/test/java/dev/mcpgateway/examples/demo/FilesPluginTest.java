package dev.mcpgateway.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.ToolCall;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.transport.stdio.StdioTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files demo plugin as the gateway meets it: a real child process speaking MCP over stdio, serving a temporary
 * root, refusing every way out of it, and streaming progress while it counts lines.
 */
@Timeout(60)
class FilesPluginTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    // Four progress chunks and a bit: 64 KiB lines of 16 bytes each.
    private static final int BIG_LINES = 4 * 4096 + 100;

    @TempDir
    Path root;
    @TempDir
    Path outside;

    private McpGateway gateway;

    @BeforeEach
    void startPlugin() throws Exception {
        Files.writeString(root.resolve("notes.txt"), "hello\nworld\n");
        Files.createDirectory(root.resolve("sub"));
        Files.writeString(root.resolve("sub").resolve("inner.txt"), "inside");
        Files.writeString(root.resolve("big.txt"), "0123456789abcde\n".repeat(BIG_LINES));
        Files.writeString(outside.resolve("secret.txt"), "top secret");
        Files.createSymbolicLink(root.resolve("escape"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("escape-dir"), outside);
        Files.createSymbolicLink(root.resolve("inner-link"), root.resolve("sub").resolve("inner.txt"));

        gateway = McpGateway.builder()
                .config(GatewayConfig.builder().callTimeout(WAIT).build())
                .transport(new StdioTransport())
                .build();
        List<String> command = DemoProcesses.command(FilesPlugin.class);
        gateway.addPlugin(PluginManifest.builder("files")
                .transport(new TransportSpec.Stdio(command.getFirst(), command.subList(1, command.size()),
                        Map.of("ROOT", root.toString()), false, root))
                .build()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @AfterEach
    void stopPlugin() throws IOException {
        gateway.close();
        DemoProcesses.assertNoneLeftRunning(FilesPlugin.class, root.toRealPath(), WAIT);
        // Removed here so that JUnit's clean-up has no links out of its directory to warn about.
        for (String link : List.of("escape", "escape-dir", "inner-link")) {
            Files.delete(root.resolve(link));
        }
    }

    private CallToolResult call(String tool, ObjectNode arguments) throws Exception {
        return gateway.callTool("files__" + tool, arguments).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static ObjectNode path(String path) {
        return Json.object().put("path", path);
    }

    @Test
    void exposesItsThreeToolsUnderThePluginsNamespace() {
        assertEquals(List.of("files__count_lines", "files__list_files", "files__read_file"),
                gateway.listTools().stream().map(ExposedTool::exposedName).sorted().toList());
    }

    @Test
    void runsAsOneChildProcessInItsRoot() throws IOException {
        // Also shows that the no-process-left check after each test looks at the right process.
        assertEquals(1, DemoProcesses.running(FilesPlugin.class, root.toRealPath()).size());
    }

    @Test
    void listsTheRootWithSizesDirectoriesAndLinksMarked() throws Exception {
        CallToolResult listing = call("list_files", Json.object());

        assertFalse(listing.isError(), listing.json().toString());
        assertEquals(String.join("\n", "big.txt  " + 16 * BIG_LINES + " bytes", "escape -> (link)",
                "escape-dir -> (link)", "inner-link -> (link)", "notes.txt  12 bytes", "sub/"), listing.firstText());
        JsonNode entries = listing.structuredContent().path("entries");
        assertEquals(6, entries.size());
        assertEquals("notes.txt", entries.get(4).path("name").asText());
        assertEquals(12, entries.get(4).path("size").asLong());
        assertEquals("directory", entries.get(5).path("type").asText());
        assertTrue(entries.get(1).path("size").isMissingNode(), "a link's target size is not disclosed");
    }

    @Test
    void listsASubdirectoryAndAnEmptyOne() throws Exception {
        CallToolResult listing = call("list_files", path("sub"));

        assertFalse(listing.isError(), listing.json().toString());
        assertEquals("inner.txt  6 bytes", listing.firstText());
        assertEquals("sub", listing.structuredContent().path("path").asText());
        Files.createDirectory(root.resolve("void"));
        assertEquals("(empty directory)", call("list_files", path("void")).firstText());
    }

    @Test
    void readsFilesAndLinksThatStayInside() throws Exception {
        assertEquals("hello\nworld\n", call("read_file", path("notes.txt")).firstText());
        assertEquals("inside", call("read_file", path("sub/inner.txt")).firstText());
        assertEquals("inside", call("read_file", path("inner-link")).firstText());
        assertEquals("hello\nworld\n", call("read_file", path("sub/../notes.txt")).firstText());
    }

    @Test
    void capsWhatItReadsAtMaxBytes() throws Exception {
        CallToolResult read = call("read_file", path("notes.txt").put("maxBytes", 5));

        assertFalse(read.isError(), read.json().toString());
        assertEquals("hello\n[truncated: 5 of 12 bytes; raise maxBytes to read more]", read.firstText());
        assertTrue(read.structuredContent().path("truncated").asBoolean());
        assertEquals(5, read.structuredContent().path("bytesReturned").asInt());

        CallToolResult bad = call("read_file", path("notes.txt").put("maxBytes", -1));
        assertTrue(bad.isError());
        assertEquals("maxBytes must be a positive integer, got -1", bad.firstText());
    }

    @Test
    void refusesEveryWayOutOfTheRootSayingWhy() throws Exception {
        assertRefused("read_file", "../x", "'../x' leads outside the root (via '..'); stay under the root");
        assertRefused("read_file", "sub/../../x", "'sub/../../x' leads outside the root (via '..'); stay under the root");
        assertRefused("read_file", "/etc/passwd", "'/etc/passwd' is absolute; give a path relative to the root");
        assertRefused("read_file", "escape", "'escape' is a symbolic link (or under one) pointing outside the root; "
                + "only files under the root can be read");
        assertRefused("read_file", "escape-dir/secret.txt", "'escape-dir/secret.txt' is a symbolic link (or under "
                + "one) pointing outside the root; only files under the root can be read");
        assertRefused("list_files", "escape-dir", "'escape-dir' is a symbolic link (or under one) pointing outside "
                + "the root; only files under the root can be read");
        assertRefused("list_files", "..", "'..' leads outside the root (via '..'); stay under the root");
        assertRefused("count_lines", "/etc/passwd", "'/etc/passwd' is absolute; give a path relative to the root");
        assertRefused("count_lines", "escape", "'escape' is a symbolic link (or under one) pointing outside the root; "
                + "only files under the root can be read");
    }

    @Test
    void explainsMissingFilesAndWrongKinds() throws Exception {
        assertRefused("read_file", "nope.txt", "'nope.txt' does not exist; use list_files to see what is there");
        assertRefused("read_file", "sub", "'sub' is not a regular file; use list_files to see what is there");
        assertRefused("list_files", "notes.txt", "'notes.txt' is not a directory; use read_file to read a file");
        CallToolResult noPath = call("read_file", Json.object());
        assertTrue(noPath.isError());
        assertEquals("path is required: give a file path relative to the root", noPath.firstText());
    }

    private void assertRefused(String tool, String path, String why) throws Exception {
        CallToolResult result = call(tool, path(path));
        assertTrue(result.isError(), tool + " " + path + " must be refused: " + result.json());
        assertEquals(why, result.firstText());
        assertFalse(result.json().toString().contains("top secret"));
    }

    @Test
    void countsLinesStreamingProgressPerChunk() throws Exception {
        List<JsonNode> progress = new CopyOnWriteArrayList<>();
        CallToolResult counted = gateway.callTool(ToolCall.of("files__count_lines", path("big.txt"))
                .withProgress(progress::add)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertFalse(counted.isError(), counted.json().toString());
        assertEquals(BIG_LINES + " lines in big.txt", counted.firstText());
        assertEquals(BIG_LINES, counted.structuredContent().path("lines").asLong());
        long size = 16L * BIG_LINES;
        // One report per 64 KiB chunk, then the end.
        assertEquals(List.of(65536.0, 131072.0, 196608.0, 262144.0, (double) size),
                progress.stream().map(report -> report.path("progress").asDouble()).toList(), progress.toString());
        assertEquals(size, progress.getFirst().path("total").asLong());
        assertEquals("4096 lines so far", progress.getFirst().path("message").asText());
        assertEquals(BIG_LINES + " lines", progress.getLast().path("message").asText());
    }

    @Test
    void countsALastLineWithoutALineBreak() throws Exception {
        assertEquals("1 lines in sub/inner.txt", call("count_lines", path("sub/inner.txt")).firstText());
        assertEquals("2 lines in notes.txt", call("count_lines", path("notes.txt")).firstText());
    }

    @Test
    void exitsCleanlyWithNothingOnStdoutWhenStdinEnds(@TempDir Path cwd) throws Exception {
        Process process = new ProcessBuilder(DemoProcesses.command(FilesPlugin.class)).directory(cwd.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            process.getOutputStream().close();
            assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the plugin must exit when stdin ends");
            assertEquals(0, process.exitValue());
            assertEquals("", new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void refusesToStartOnARootThatDoesNotExist(@TempDir Path cwd) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(DemoProcesses.command(FilesPlugin.class)).directory(cwd.toFile());
        builder.environment().put("ROOT", cwd.resolve("missing").toString());
        Process process = builder.start();
        try {
            process.getOutputStream().close();
            assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertNotEquals(0, process.exitValue());
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(stderr.contains("does not exist; set ROOT to an existing directory"), stderr);
        } finally {
            process.destroyForcibly();
        }
    }
}
