package dev.mcpgateway.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that is itself a Java module, built against this module on the module path with only what Maven gives a host
 * (this module's compile and runtime dependencies, not the provided servlet API): it compiles and serves without the
 * servlet API, and a host that mounts {@link McpServlet} compiles once it requires the API itself. The tests here run
 * on the class path, so only a separate javac (and java) sees the module descriptors as a host does. The pom writes
 * the dependency lists into {@code target/module-path-host/} before the tests.
 */
class ModulePathHostTest {
    private static final String HOST_CLASS = """
            package host;

            import dev.mcpgateway.McpGateway;
            import dev.mcpgateway.server.McpServer;
            import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
            import dev.mcpgateway.transport.http.server.McpHttpServer;

            public final class Host {
                public static void main(String[] args) throws Exception {
                    try (McpGateway gateway = McpGateway.builder().build()) {
                        McpServer server = McpServer.create(gateway);
                        HttpFrontDoorOptions options = HttpFrontDoorOptions.builder().port(0).build();
                        McpHttpServer http = McpHttpServer.start(server, options);
                        System.out.println("serving " + http.endpoint());
                        http.close();
                        server.close();
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aModularHostCompilesAndServesWithoutTheServletApi() throws Exception {
        Path sources = write("""
                module host {
                    requires dev.mcpgateway.core;
                    requires dev.mcpgateway.transport.http;
                }
                """, HOST_CLASS);
        List<Path> modulePath = hostModulePath();

        assertEquals("", compile(sources, modulePath));

        // Run too: nothing but McpServlet may need the servlet API when the module loads and serves.
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", join(dir.resolve("out"), modulePath), "--module", "host/host.Host")
                .redirectErrorStream(true)
                .start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, java.exitValue(), output);
        assertTrue(output.contains("serving http://127.0.0.1:"), output);
    }

    @Test
    void aServletHostCompilesOnceItRequiresTheServletApiItself() throws Exception {
        Path sources = write("""
                module host {
                    requires dev.mcpgateway.transport.http;
                    requires jakarta.servlet;
                }
                """, """
                package host;

                import dev.mcpgateway.server.McpServer;
                import dev.mcpgateway.transport.http.server.McpServlet;
                import jakarta.servlet.http.HttpServlet;

                public final class Host {
                    public static HttpServlet servlet(McpServer server) {
                        return new McpServlet(server);
                    }
                }
                """);
        List<Path> modulePath = hostModulePath();
        // Without the API on the module path the host fails as it should: proof that the compiler sees no other copy.
        assertTrue(compile(sources, modulePath).contains("module not found: jakarta.servlet"));

        List<Path> withServletApi = new ArrayList<>(modulePath);
        withServletApi.addAll(listed("servlet-api.txt"));
        assertEquals("", compile(sources, withServletApi));
    }

    private Path write(String moduleInfo, String hostClass) throws IOException {
        Path sources = dir.resolve("src");
        Files.createDirectories(sources.resolve("host"));
        Files.writeString(sources.resolve("module-info.java"), moduleInfo);
        Files.writeString(sources.resolve("host/Host.java"), hostClass);
        return sources;
    }

    /** Compiles the host into {@code out}; gives the diagnostics, empty when there were none. */
    private String compile(Path sources, List<Path> modulePath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> options = List.of("-d", dir.resolve("out").toString(), "--module-path", join(null, modulePath));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(file -> file.toString().endsWith(".java")).toList();
        }
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            javac.getTask(diagnostics, fileManager, null, options, null, fileManager.getJavaFileObjectsFromPaths(files))
                    .call();
        }
        return diagnostics.toString();
    }

    /** This module's classes and what Maven resolves for a host at run time: compile and runtime scope, no more. */
    private static List<Path> hostModulePath() throws IOException, URISyntaxException {
        List<Path> modulePath = new ArrayList<>();
        modulePath.add(classes());
        modulePath.addAll(listed("runtime.txt"));
        assertTrue(modulePath.stream().noneMatch(entry -> entry.toString().contains("servlet")), modulePath.toString());
        return modulePath;
    }

    private static List<Path> listed(String file) throws IOException, URISyntaxException {
        Path list = classes().resolveSibling("module-path-host").resolve(file);
        return Arrays.stream(Files.readString(list).strip().split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .toList();
    }

    private static Path classes() throws URISyntaxException {
        return Path.of(McpHttpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String join(Path first, List<Path> rest) {
        return Stream.concat(Stream.ofNullable(first), rest.stream())
                .map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
    }
}
