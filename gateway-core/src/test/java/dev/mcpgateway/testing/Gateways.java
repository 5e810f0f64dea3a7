package dev.mcpgateway.testing;

import dev.mcpgateway.McpGateway;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateways a test built, closed after it when held in an {@code @AutoClose} field: no test's gateway outlives it,
 * whichever way the test ends.
 */
public final class Gateways implements AutoCloseable {
    private final List<McpGateway> built = new ArrayList<>();

    /** Remembers a gateway to close; returns it. */
    public McpGateway add(McpGateway gateway) {
        built.add(gateway);
        return gateway;
    }

    @Override
    public void close() {
        built.forEach(McpGateway::close);
    }
}
