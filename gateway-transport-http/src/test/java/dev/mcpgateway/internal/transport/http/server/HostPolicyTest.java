package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostPolicyTest {

    @Test
    void theRememberedHostNeverLetsAnotherOneThrough() {
        HostPolicy policy = HostPolicy.of(List.of("mcp.example.com"), "127.0.0.1");

        for (int round = 0; round < 3; round++) { // the first allows by the rules, the others by the memo
            assertTrue(policy.allows("127.0.0.1:9105"));
            assertFalse(policy.allows("evil.example.net:9105"));
            assertTrue(policy.allows("MCP.example.com."));
            assertFalse(policy.allows("mcp.example.com:bad"));
            assertFalse(policy.allows("127.0.0.2:9105"));
        }
    }

    @Test
    void aRefusedHostIsNotRemembered() {
        HostPolicy policy = HostPolicy.of(List.of("localhost:9105"), "0.0.0.0");

        assertFalse(policy.allows("localhost:9106"));
        assertTrue(policy.allows("localhost:9105"));
        assertFalse(policy.allows("localhost:9106"));
        assertTrue(policy.allows(null));
    }
}
