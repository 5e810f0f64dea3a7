package dev.mcpgateway.transport.stdio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mcpgateway.internal.transport.stdio.ProcessTree;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.stdio.testserver.JavaMain;
import dev.mcpgateway.transport.stdio.testserver.WrappedPluginGatewayMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A gateway JVM that is killed (SIGTERM) without closing its gateway still stops its stdio plugins' process trees. */
class ExitGuardTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void pluginWrappersDoNotOutliveAKilledGateway() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(JavaMain.executable());
        command.addAll(JavaMain.args(WrappedPluginGatewayMain.class));
        Process gateway = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        started.add(gateway.toHandle());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("READY", out.readLine(), "the gateway did not get its plugin up");
        }
        List<ProcessHandle> tree = gateway.descendants().toList();
        started.addAll(tree);
        ProcessHandle wrapper = tree.stream().filter(p -> p.info().command().map(c -> c.endsWith("sh")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no sh wrapper among " + tree));

        gateway.toHandle().destroy(); // SIGTERM, as desktop clients send when they quit

        Await.until("the gateway exited", WAIT, () -> !gateway.isAlive());
        Await.until("the plugin's wrapper is gone too", WAIT, () -> !ProcessTree.isRunning(wrapper));
        assertFalse(ProcessTree.isRunning(wrapper));
    }
}
