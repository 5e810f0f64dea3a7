package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The runner's log output: its logback.xml (this module's main resources) in a child JVM that has logback and SLF4J
 * on its class path, as mcp-gateway.jar does; the tests' own JVM logs through slf4j-simple, without logback.
 */
@Timeout(60)
class LogOutputTest {
    private static final String LOGGER = LogEvents.class.getName();
    private static final Pattern TEXT_LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"
            + "(Z|[+-]\\d\\d:\\d\\d) (TRACE|DEBUG|INFO |WARN |ERROR) \\[main] " + Pattern.quote(LOGGER) + " - .*");

    @TempDir
    Path dir;

    @Test
    void eachEventIsOneTextLineWithItsStackTraceFoldedIn() throws Exception {
        Output output = run(Map.of());

        assertEquals("", output.stdout(), "stdout stays free for the stdio protocol");
        List<String> lines = output.stderr().lines().toList();
        assertEquals(3, lines.size(), "INFO and up, not Jetty's INFO: " + output.stderr());
        lines.forEach(line -> assertTrue(TEXT_LINE.matcher(line).matches(), line));
        assertTrue(lines.get(0).endsWith(" INFO  [main] " + LOGGER + " - started"), lines.get(0));
        assertTrue(lines.get(1).endsWith(" WARN  [main] " + LOGGER + " - first line | second line"), lines.get(1));
        String failure = lines.get(2);
        assertTrue(failure.contains(" ERROR [main] " + LOGGER + " - failed | java.lang.IllegalStateException: broken"
                + " | at " + LOGGER + ".main(LogEvents.java:"), failure);
        assertTrue(failure.contains(" | Caused by: java.io.IOException: underneath | "), failure);
        assertFalse(failure.endsWith(" "), "no separator after the last frame: " + failure);
    }

    @Test
    void theLevelComesFromTheEnvironment() throws Exception {
        List<String> debug = run(Map.of("MCP_GATEWAY_LOG_LEVEL", "debug")).stderr().lines().toList();
        assertEquals(4, debug.size(), debug::toString);
        assertTrue(debug.get(1).endsWith(" DEBUG [main] " + LOGGER + " - a detail"), debug.get(1));

        List<String> warn = run(Map.of("MCP_GATEWAY_LOG_LEVEL", "WARN")).stderr().lines().toList();
        assertEquals(2, warn.size(), warn::toString);
    }

    @Test
    void jsonIsOneObjectPerEvent() throws Exception {
        Output output = run(Map.of("MCP_GATEWAY_LOG_FORMAT", "json"));

        assertEquals("", output.stdout());
        List<String> lines = output.stderr().lines().toList();
        assertEquals(3, lines.size(), output.stderr());
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            events.add(mapper.readTree(line));
        }
        assertEquals(List.of("INFO", "WARN", "ERROR"), events.stream().map(e -> e.path("level").asText()).toList());
        for (JsonNode event : events) {
            assertEquals(LOGGER, event.path("loggerName").asText(), event::toString);
            assertEquals("main", event.path("threadName").asText(), event::toString);
            assertTrue(event.path("timestamp").isNumber(), event::toString);
        }
        assertEquals("first line\nsecond line", events.get(1).path("formattedMessage").asText());
        JsonNode throwable = events.get(2).path("throwable");
        assertEquals("java.lang.IllegalStateException", throwable.path("className").asText(), throwable::toString);
        assertEquals("broken", throwable.path("message").asText(), throwable::toString);
        assertEquals("main", throwable.path("stepArray").path(0).path("methodName").asText(), throwable::toString);
        assertEquals("java.io.IOException", throwable.path("cause").path("className").asText(), throwable::toString);
    }

    private Output run(Map<String, String> environment) throws IOException, InterruptedException,
            URISyntaxException {
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", runnerClassPath(), LogEvents.class.getName())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().remove("MCP_GATEWAY_LOG_FORMAT");
        builder.environment().remove("MCP_GATEWAY_LOG_LEVEL");
        builder.environment().putAll(environment);
        Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child JVM ends");
        assertEquals(0, process.exitValue(), () -> read(stderr));
        return new Output(read(stdout), read(stderr));
    }

    /**
     * The runner's classes and resources (its logback.xml), LogEvents, SLF4J's API and logback, whose jars the build
     * names: they are kept off the tests' class path.
     */
    private static String runnerClassPath() throws URISyntaxException {
        String repository = System.getProperty("logback.repository");
        String version = System.getProperty("logback.version");
        List<String> path = new ArrayList<>();
        path.add(location(GatewayMain.class));
        path.add(location(LogEvents.class));
        path.add(location(LoggerFactory.class));
        for (String artifact : List.of("logback-classic", "logback-core")) {
            Path jar = Path.of(repository, artifact, version, artifact + "-" + version + ".jar");
            assertTrue(Files.isRegularFile(jar), jar::toString);
            path.add(jar.toString());
        }
        return String.join(File.pathSeparator, path);
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Output(String stdout, String stderr) {
    }
}
