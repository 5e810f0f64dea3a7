package dev.mcpgateway.benchmarks.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;

class JmhRunnerTest {

    @Test
    void argumentsSelectBenchmarksAndQuickSettings() {
        JmhRunner.Settings full = JmhRunner.Settings.parse();
        assertEquals(List.of(), full.includes());
        assertEquals(3, full.measurementIterations());
        JmhRunner.Settings quick = JmhRunner.Settings.parse("Routing", "--quick", "Codec");
        assertEquals(List.of("Routing", "Codec"), quick.includes());
        assertEquals(1, quick.measurementIterations());
        assertEquals(Duration.ofMillis(200), quick.iterationTime());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> JmhRunner.Settings.parse("--fast"));
        assertTrue(error.getMessage().contains("--quick"), error.getMessage());
    }

    @Test
    void tableHasOneRowPerRunWithPercentilesForSampleTime() {
        // In this JVM (no fork) and with one short iteration: this checks the wiring, not the numbers.
        JmhRunner.Settings settings = new JmhRunner.Settings(
                List.of("CodecBenchmark.encodeToolCall", "RebuildBenchmark.renewLease"), 0, 1, Duration.ofMillis(50), 0);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Collection<RunResult> results = JmhRunner.run(settings,
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        String table = JmhRunner.markdown(settings, results);

        List<String> rows = table.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| benchmark"))
                .toList();
        assertEquals(2, rows.size(), table);
        String codec = rows.stream().filter(row -> row.startsWith("| CodecBenchmark.encodeToolCall |")).findFirst()
                .orElseThrow();
        assertTrue(codec.contains("| avgt |") && codec.contains("| ns/op |") && codec.endsWith("|  |  |  |"), codec);
        String rebuild = rows.stream().filter(row -> row.startsWith("| RebuildBenchmark.renewLease |")).findFirst()
                .orElseThrow();
        String[] cells = rebuild.split("\\|");
        assertEquals("sample", cells[3].strip(), rebuild);
        assertEquals("us/op", cells[6].strip(), rebuild);
        for (int percentile = 7; percentile <= 9; percentile++) {
            assertTrue(cells[percentile].strip().matches("[0-9.]+"), rebuild);
        }
    }
}
