package dev.mcpgateway.examples;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * A stdio MCP plugin with the {@link RelayingTools}, built with the official MCP Java SDK's stdio server; the
 * gateway runs it as a child process ({@link JavaMains#stdioPlugin}). It exits once its stdin ends.
 */
public final class RelayingSdkStdioPlugin {
    private RelayingSdkStdioPlugin() {
    }

    /** Serves until stdin ends; takes no arguments. */
    public static void main(String[] args) throws InterruptedException {
        CountDownLatch stdinEnded = new CountDownLatch(1);
        McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(),
                        endSignalling(System.in, stdinEnded), System.out))
                .serverInfo("relaying-sdk-stdio", "1.0.0")
                .capabilities(ServerCapabilities.builder().tools(false).build())
                .tools(RelayingTools.all(McpJsonDefaults.getMapper()))
                .build();
        stdinEnded.await();
        server.close();
        // The SDK's executor threads would keep the JVM alive a while longer; the gateway is gone, so leave.
        System.exit(0);
    }

    /** The stream, counting {@code ended} down when it reports its end. */
    private static InputStream endSignalling(InputStream in, CountDownLatch ended) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return signal(super.read());
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return signal(super.read(buffer, offset, length));
            }

            private int signal(int result) {
                if (result < 0) {
                    ended.countDown();
                }
                return result;
            }
        };
    }
}
