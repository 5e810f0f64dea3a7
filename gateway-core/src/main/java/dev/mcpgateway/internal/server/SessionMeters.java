package dev.mcpgateway.internal.server;

import dev.mcpgateway.mcp.ProtocolVersions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The MCP server's meters, bound when its gateway records metrics: the sessions it keeps by era, counted when
 * scraped (nothing on the request path), and its limits' refusals ({@code Rejections}).
 */
final class SessionMeters {
    private SessionMeters() {
    }

    /** Registers the engine's meters; returns the ones to remove when it closes. */
    static List<Meter> bind(ServerEngine engine, MeterRegistry registry) {
        List<Meter> meters = new ArrayList<>();
        for (String era : List.of("legacy", "modern", "uninitialized")) {
            meters.add(Gauge.builder("mcp.gateway.sessions", engine, e -> count(e, era))
                    .description("Client sessions the MCP server keeps, by protocol era (stateless requests are not"
                            + " kept)")
                    .tags("era", era).register(registry));
        }
        engine.rejections().bindTo(registry);
        return meters;
    }

    private static double count(ServerEngine engine, String era) {
        int count = 0;
        for (EngineSession session : engine.sessions()) {
            if (era.equals(eraOf(session.protocolVersion()))) {
                count++;
            }
        }
        return count;
    }

    private static String eraOf(String protocolVersion) {
        if (protocolVersion == null) {
            return "uninitialized";
        }
        return ProtocolVersions.MODERN.equals(protocolVersion) ? "modern" : "legacy";
    }
}
