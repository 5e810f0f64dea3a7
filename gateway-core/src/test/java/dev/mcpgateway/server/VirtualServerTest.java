package dev.mcpgateway.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a {@link VirtualServer} includes, and the settings it refuses, each with what to fix. */
class VirtualServerTest {

    @Test
    void includesByPatternOrByTheLabelsOfThePlugin() {
        VirtualServer server = VirtualServer.builder("payments").include("github/create_*", "files/read_file")
                .includeLabels(Map.of("team", "payments", "tier", "1")).build();
        assertTrue(server.includes("github", "create_issue", List.of()));
        assertTrue(server.includes("files", "read_file", List.of()));
        assertFalse(server.includes("files", "write_file", List.of()));
        assertTrue(server.includes("ledger", "post", List.of(Map.of("team", "other"),
                Map.of("team", "payments", "tier", "1", "region", "eu"))), "one instance with every label is enough");
        assertFalse(server.includes("ledger", "post", List.of(Map.of("team", "payments"))));
    }

    private static String refusal(Runnable build) {
        return assertThrows(IllegalArgumentException.class, build::run).getMessage();
    }

    @Test
    void refusesWhatCannotWork() {
        assertTrue(refusal(() -> VirtualServer.builder("Team A").include("*").build()).contains("lower-case"));
        assertTrue(refusal(() -> VirtualServer.builder("empty").build()).contains("includes nothing"));
        assertTrue(refusal(() -> VirtualServer.builder("x").includeLabels(Map.of()).build())
                .contains("empty label selector"));
        assertTrue(refusal(() -> VirtualServer.builder("x").include("*")
                .override("github/*", new VirtualServer.ToolOverride("a", null, null)).build()).contains("wildcards"));
        assertTrue(refusal(() -> VirtualServer.builder("x").include("*")
                .override("github/a", new VirtualServer.ToolOverride("same", null, null))
                .override("github/b", new VirtualServer.ToolOverride("same", null, null)).build()).contains("unique"));
        assertTrue(refusal(() -> new VirtualServer.ToolOverride("has space", null, null)).contains("128"));
        assertTrue(refusal(() -> new VirtualServer.ToolOverride(null, null, null)).contains("at least one"));
        VirtualServer one = VirtualServer.builder("one").include("*").build();
        assertTrue(refusal(() -> ServerOptions.defaults().withVirtualServers(List.of(one, one))).contains("'one'"));
    }
}
