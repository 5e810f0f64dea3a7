package dev.mcpgateway.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.inprocess.ToolContext;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.mcp.Tool;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.stdio.server.StdioServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo stdio MCP server that lists and reads files under one root directory (environment variable {@code ROOT},
 * default the current directory), built with the gateway itself. Its tools: {@code list_files {path?}},
 * {@code read_file {path, maxBytes?}} and {@code count_lines {path}}, which reports progress as it reads.
 *
 * <p>Paths are relative to the root. A path that is absolute, climbs out with {@code ..}, or reaches outside the
 * root through a symbolic link is refused with a tool error ({@code isError}) saying why; the check is made on the
 * real path, after links are resolved.
 */
public final class FilesPlugin {
    /** The bytes {@code read_file} returns when the call sets no {@code maxBytes}. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;
    /** The most bytes {@code read_file} returns, whatever the call asks for. */
    public static final int MAX_BYTES_LIMIT = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(FilesPlugin.class);
    // count_lines reports progress per chunk: at least this big, and at most about 100 reports per file.
    private static final int MIN_CHUNK_BYTES = 64 * 1024;
    private static final int MAX_PROGRESS_REPORTS = 100;

    private final Path root;

    private FilesPlugin(Path root) {
        this.root = root;
    }

    /**
     * Serves the files under {@code ROOT} over stdin/stdout until stdin ends. Logs go to stderr only.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        String configured = System.getenv("ROOT");
        Path root = Path.of(configured == null || configured.isBlank() ? "." : configured);
        try (McpGateway gateway = DemoServers.gatewayServing(plugin(root));
             McpServer server = McpServer.create(gateway);
             StdioServer stdio = StdioServer.serve(server)) {
            log.info("files plugin serving {} over stdio", root.toAbsolutePath().normalize());
            stdio.done().join();
        }
    }

    /**
     * The plugin's tools as an in-process plugin named {@code files}, serving the files under {@code root}.
     *
     * @throws IllegalArgumentException if {@code root} is not an existing directory
     */
    public static InProcessPlugin plugin(Path root) {
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("the files plugin's root '" + root + "' does not exist; set ROOT to an "
                    + "existing directory", e);
        }
        if (!Files.isDirectory(realRoot)) {
            throw new IllegalArgumentException("the files plugin's root '" + root + "' is not a directory; set ROOT to "
                    + "a directory");
        }
        FilesPlugin files = new FilesPlugin(realRoot);
        return InProcessPlugin.builder("files").version("1.0.0")
                .tool(Tool.builder("list_files")
                        .description("Lists a directory under the root: names, sizes, directories marked with '/'")
                        .inputSchema(DemoServers.property(DemoServers.objectSchema(), "path", "string",
                                "directory relative to the root (default: the root itself)"))
                        .build(), (arguments, context) -> files.list(arguments))
                .tool(Tool.builder("read_file")
                        .description("Reads a text file under the root, up to maxBytes bytes")
                        .inputSchema(DemoServers.property(DemoServers.property(DemoServers.objectSchema("path"),
                                "path", "string", "file relative to the root"), "maxBytes", "integer",
                                "the most bytes to return (default " + DEFAULT_MAX_BYTES + ", at most "
                                        + MAX_BYTES_LIMIT + ")"))
                        .build(), (arguments, context) -> files.read(arguments))
                .tool(Tool.builder("count_lines")
                        .description("Counts the lines of a file under the root, reporting progress as it reads")
                        .inputSchema(DemoServers.property(DemoServers.objectSchema("path"), "path", "string",
                                "file relative to the root"))
                        .build(), files::countLines)
                .build();
    }

    private CallToolResult list(JsonNode arguments) throws IOException {
        Resolved dir = resolve(arguments.path("path").asText("."));
        if (dir.refusal != null) {
            return CallToolResult.error(dir.refusal);
        }
        if (!Files.isDirectory(dir.path)) {
            return CallToolResult.error("'" + dir.requested + "' is not a directory; use read_file to read a file");
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.path)) {
            entries.forEach(children::add);
        }
        children.sort(Comparator.comparing(child -> child.getFileName().toString()));
        List<String> lines = new ArrayList<>();
        ObjectNode structured = Json.object().put("path", dir.requested);
        ArrayNode listed = structured.putArray("entries");
        for (Path child : children) {
            // Links are described, not followed: a link may point outside the root, whose size is none of our business.
            BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            String name = child.getFileName().toString();
            String type = attributes.isDirectory() ? "directory" : attributes.isSymbolicLink() ? "link" : "file";
            ObjectNode entry = listed.addObject().put("name", name).put("type", type);
            switch (type) {
                case "directory" -> lines.add(name + "/");
                case "link" -> lines.add(name + " -> (link)");
                default -> {
                    entry.put("size", attributes.size());
                    lines.add(name + "  " + attributes.size() + " bytes");
                }
            }
        }
        return CallToolResult.structured(lines.isEmpty() ? "(empty directory)" : String.join("\n", lines),
                structured);
    }

    private CallToolResult read(JsonNode arguments) throws IOException {
        JsonNode requestedMax = arguments.path("maxBytes");
        if (!requestedMax.isMissingNode() && !(requestedMax.canConvertToInt() && requestedMax.asInt() > 0)) {
            return CallToolResult.error("maxBytes must be a positive integer, got " + requestedMax);
        }
        int maxBytes = Math.min(requestedMax.asInt(DEFAULT_MAX_BYTES), MAX_BYTES_LIMIT);
        Resolved file = resolveFile(arguments);
        if (file.refusal != null) {
            return CallToolResult.error(file.refusal);
        }
        long size = Files.size(file.path);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file.path)) {
            bytes = in.readNBytes(maxBytes);
        }
        // A cut may split a character; decoding with replacement keeps the rest readable.
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        boolean truncated = size > bytes.length;
        ObjectNode structured = Json.object().put("path", file.requested).put("size", size)
                .put("bytesReturned", bytes.length).put("truncated", truncated);
        return CallToolResult.structured(truncated
                ? text + "\n[truncated: " + bytes.length + " of " + size + " bytes; raise maxBytes to read more]"
                : text, structured);
    }

    private CallToolResult countLines(JsonNode arguments, ToolContext context) throws IOException {
        Resolved file = resolveFile(arguments);
        if (file.refusal != null) {
            return CallToolResult.error(file.refusal);
        }
        long size = Files.size(file.path);
        int chunk = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(MIN_CHUNK_BYTES, size / MAX_PROGRESS_REPORTS + 1));
        byte[] buffer = new byte[MIN_CHUNK_BYTES];
        long lines = 0;
        long read = 0;
        long sinceReport = 0;
        byte last = '\n';
        try (InputStream in = Files.newInputStream(file.path)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (context.isCancelled()) {
                    return CallToolResult.error("count_lines of '" + file.requested + "' was cancelled");
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                last = buffer[n - 1];
                read += n;
                sinceReport += n;
                if (sinceReport >= chunk) {
                    sinceReport = 0;
                    context.progress(read, (double) size, lines + " lines so far");
                }
            }
        }
        if (last != '\n') {
            lines++; // a last line without a line break still counts
        }
        if (sinceReport > 0) {
            // Progress must increase from one report to the next, so the end is reported only if not yet reached.
            context.progress(read, (double) read, lines + " lines");
        }
        return CallToolResult.structured(lines + " lines in " + file.requested,
                Json.object().put("path", file.requested).put("lines", lines).put("bytes", read));
    }

    private Resolved resolveFile(JsonNode arguments) {
        JsonNode path = arguments.path("path");
        if (!path.isTextual() || path.asText().isBlank()) {
            return Resolved.refused("path is required: give a file path relative to the root");
        }
        Resolved file = resolve(path.asText());
        if (file.refusal == null && !Files.isRegularFile(file.path)) {
            return Resolved.refused("'" + file.requested + "' is not a regular file; use list_files to see what is there");
        }
        return file;
    }

    /**
     * The real path of {@code requested} under the root, or why it is refused. The lexical check catches
     * {@code ..} early with a clear message; the real-path check is what actually keeps symbolic links inside.
     */
    private Resolved resolve(String requested) {
        Path relative;
        try {
            relative = Path.of(requested);
        } catch (InvalidPathException e) {
            return Resolved.refused("'" + requested + "' is not a valid path: " + e.getReason());
        }
        if (relative.isAbsolute()) {
            return Resolved.refused("'" + requested + "' is absolute; give a path relative to the root");
        }
        Path lexical = root.resolve(relative).normalize();
        if (!lexical.startsWith(root)) {
            return Resolved.refused("'" + requested + "' leads outside the root (via '..'); stay under the root");
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            return Resolved.refused("'" + requested + "' does not exist; use list_files to see what is there");
        } catch (IOException e) {
            return Resolved.refused("'" + requested + "' cannot be resolved: " + e.getMessage());
        }
        if (!real.startsWith(root)) {
            return Resolved.refused("'" + requested + "' is a symbolic link (or under one) pointing outside the root; "
                    + "only files under the root can be read");
        }
        return new Resolved(requested, real, null);
    }

    /** A path as the caller gave it, and either its real path under the root or why it was refused. */
    private record Resolved(String requested, Path path, String refusal) {
        static Resolved refused(String why) {
            return new Resolved(null, null, why);
        }
    }
}
