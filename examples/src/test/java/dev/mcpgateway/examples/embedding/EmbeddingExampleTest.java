package dev.mcpgateway.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.examples.demo.DemoProcesses;
import dev.mcpgateway.examples.demo.FilesPlugin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedding example run as its own JVM, the way a reader would run it: it prints both results and exits. */
@Timeout(60)
class EmbeddingExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path cwd;

    @Test
    void callsAnInProcessToolAndAStdioPluginThenExitsLeavingNoProcessBehind() throws Exception {
        Files.writeString(cwd.resolve("hello.txt"), "hi");
        Process process = new ProcessBuilder(DemoProcesses.command(EmbeddingExample.class)).directory(cwd.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            process.getOutputStream().close();
            // Its output is two short lines: reading to the end returns when the example exits.
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the example must exit");
            assertEquals(0, process.exitValue(), stdout);
            assertEquals("Hello, Ada!\nhello.txt  2 bytes\n", stdout);
        } finally {
            process.destroyForcibly();
        }
        DemoProcesses.assertNoneLeftRunning(FilesPlugin.class, cwd.toRealPath(), WAIT);
    }
}
