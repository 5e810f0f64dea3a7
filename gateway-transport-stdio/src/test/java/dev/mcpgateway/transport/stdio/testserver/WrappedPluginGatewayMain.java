package dev.mcpgateway.transport.stdio.testserver;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.transport.stdio.StdioTransport;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A gateway process whose plugin runs behind a shell wrapper that would outlive it ({@code sh -c '<plugin>;
 * sleep 300'}), as npx/uvx-style launchers do. Prints {@code READY} once the plugin is routable, then waits to be
 * killed; it never closes its gateway, so only the JVM exit guard can stop the plugin.
 */
public final class WrappedPluginGatewayMain {
    private WrappedPluginGatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        StringBuilder plugin = new StringBuilder("'").append(JavaMain.executable()).append('\'');
        for (String arg : JavaMain.args(MiniMcpServer.class)) {
            plugin.append(" '").append(arg).append('\'');
        }
        McpGateway gateway = McpGateway.builder().transport(new StdioTransport()).build();
        gateway.addPlugin(PluginManifest.builder("wrapped")
                .transport(new TransportSpec.Stdio("sh", List.of("-c", plugin + "; sleep 300"), java.util.Map.of(),
                        false, null)).build()).join();
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
