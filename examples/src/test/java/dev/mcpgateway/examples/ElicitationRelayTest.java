package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.plugin.PluginManifest;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.testing.Await;
import dev.mcpgateway.transport.http.HttpTransport;
import dev.mcpgateway.transport.http.server.HttpFrontDoorOptions;
import dev.mcpgateway.transport.http.server.McpHttpServer;
import dev.mcpgateway.transport.stdio.StdioTransport;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Requests a plugin makes of its client while serving a call ({@code elicitation/create},
 * {@code sampling/createMessage}) travel through the gateway: the plugin runs the {@link RelayingTools} on the
 * official SDK's server (over Streamable HTTP in Tomcat, or over stdio as a child process), the client is the
 * official SDK client on the gateway's Streamable HTTP endpoint. A client that declared the capability answers and
 * the plugin gets the answer (its result is built from it); a client that did not makes the plugin's request fail
 * with the gateway's error, and the call still completes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ElicitationRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** How the plugin is reached. */
    enum PluginTransport { HTTP, STDIO }

    @TempDir
    Path tomcatDir;

    private final ChildProcesses processes = new ChildProcesses();
    private final List<ElicitFormRequest> elicitations = new CopyOnWriteArrayList<>();
    private final List<CreateMessageRequest> samplings = new CopyOnWriteArrayList<>();
    private RelayingSdkHttpPlugin httpPlugin;
    private McpGateway gateway;
    private McpServer server;
    private McpHttpServer door;
    private McpSyncClient client;

    /** Starts the plugin, the gateway with it, and the gateway's endpoint. */
    private void start(PluginTransport transport) throws Exception {
        gateway = McpGateway.builder()
                .config(GatewayConfig.builder().callTimeout(WAIT).build()) // the defaults declare sampling and elicitation
                .transport(new HttpTransport())
                .transport(new StdioTransport())
                .build();
        PluginManifest manifest = switch (transport) {
            case HTTP -> {
                httpPlugin = new RelayingSdkHttpPlugin(tomcatDir);
                yield httpPlugin.manifest("relay");
            }
            case STDIO -> JavaMains.stdioPlugin("relay", RelayingSdkStdioPlugin.class);
        };
        gateway.addPlugin(manifest).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        server = McpServer.create(gateway);
        door = McpHttpServer.start(server, HttpFrontDoorOptions.builder().port(0).build());
    }

    @AfterEach
    void tearDown() {
        try {
            Closing.all(client == null ? null : (AutoCloseable) client::closeGracefully, door, server, gateway,
                    httpPlugin);
        } finally {
            processes.assertAllExitWithin(WAIT);
        }
    }

    private void connect(UnaryOperator<McpClient.SyncSpec> configure) {
        client = configure.apply(McpClient.sync(SdkClients.streamableHttp(door.endpoint()))
                        .clientInfo(McpSchema.Implementation.builder("relay-test", "1.0.0").build())
                        .requestTimeout(WAIT)
                        .initializationTimeout(WAIT))
                .build();
        client.initialize();
    }

    /** A client that declared elicitation and sampling, and answers them as a user and a model would. */
    private void connectCapableClient(ElicitResult.Action action) {
        connect(spec -> spec
                .capabilities(ClientCapabilities.builder().elicitation().sampling().build())
                .elicitation(request -> {
                    elicitations.add(request);
                    return action == ElicitResult.Action.ACCEPT
                            ? new ElicitResult(action, Map.of("name", "Ada"))
                            : new ElicitResult(action, null);
                })
                .sampling(request -> {
                    samplings.add(request);
                    return CreateMessageResult.builder(McpSchema.Role.ASSISTANT,
                            TextContent.builder("leaves drift and settle").build(), "test-model").build();
                }));
    }

    private CallToolResult call(String tool, Map<String, Object> arguments) {
        return client.callTool(CallToolRequest.builder(tool).arguments(arguments).build());
    }

    @ParameterizedTest
    @EnumSource(PluginTransport.class)
    void anElicitationReachesTheClientAndTheUsersAnswerReachesThePlugin(PluginTransport transport) throws Exception {
        start(transport);
        connectCapableClient(ElicitResult.Action.ACCEPT);

        CallToolResult result = call("relay__ask_name", Map.of());

        assertNotEquals(Boolean.TRUE, result.isError(), result::toString);
        assertEquals("Nice to meet you, Ada!", SdkClients.text(result));
        assertEquals(1, elicitations.size(), "the client was asked once: " + elicitations);
        ElicitFormRequest asked = elicitations.getFirst();
        assertEquals(RelayingTools.QUESTION, asked.message());
        assertEquals(List.of("name"), asked.requestedSchema().get("required"), "the schema arrived untouched");
    }

    @ParameterizedTest
    @EnumSource(PluginTransport.class)
    void aDeclinedElicitationReachesThePluginAsDeclined(PluginTransport transport) throws Exception {
        start(transport);
        connectCapableClient(ElicitResult.Action.DECLINE);

        CallToolResult result = call("relay__ask_name", Map.of());

        assertNotEquals(Boolean.TRUE, result.isError(), result::toString);
        assertEquals("You chose to decline.", SdkClients.text(result));
        assertEquals(1, elicitations.size(), "the client was asked once: " + elicitations);
    }

    @ParameterizedTest
    @EnumSource(PluginTransport.class)
    void aSamplingRequestReachesTheClientAndTheModelsAnswerReachesThePlugin(PluginTransport transport) throws Exception {
        start(transport);
        connectCapableClient(ElicitResult.Action.ACCEPT);

        CallToolResult result = call("relay__draft_haiku", Map.of("topic", "autumn"));

        assertNotEquals(Boolean.TRUE, result.isError(), result::toString);
        assertEquals("test-model wrote: leaves drift and settle", SdkClients.text(result));
        assertEquals(1, samplings.size(), "the client was asked once: " + samplings);
        CreateMessageRequest asked = samplings.getFirst();
        assertEquals(RelayingTools.MAX_TOKENS, asked.maxTokens());
        assertEquals("Write a haiku about autumn", ((TextContent) asked.messages().getFirst().content()).text());
    }

    @ParameterizedTest
    @EnumSource(PluginTransport.class)
    void withoutTheCapabilityThePluginsRequestsFailAndTheCallsStillComplete(PluginTransport transport) throws Exception {
        start(transport);
        connect(spec -> spec); // declares neither elicitation nor sampling

        CallToolResult elicited = call("relay__ask_name", Map.of());
        CallToolResult sampled = call("relay__draft_haiku", Map.of("topic", "winter"));

        assertEquals(Boolean.TRUE, elicited.isError(), elicited::toString);
        assertTrue(SdkClients.text(elicited).startsWith("elicitation/create failed: "), elicited::toString);
        assertTrue(SdkClients.text(elicited).contains("'elicitation' capability"), elicited::toString);
        assertEquals(Boolean.TRUE, sampled.isError(), sampled::toString);
        assertTrue(SdkClients.text(sampled).startsWith("sampling/createMessage failed: "), sampled::toString);
        assertTrue(SdkClients.text(sampled).contains("'sampling' capability"), sampled::toString);
    }

    @ParameterizedTest
    @EnumSource(PluginTransport.class)
    void aPluginsRequestGoesOnlyToTheClientWhoseCallCausedIt(PluginTransport transport) throws Exception {
        start(transport);
        // Client B declared elicitation; its first question stays unanswered for now, so its call stays in flight.
        CountDownLatch releaseB = new CountDownLatch(1);
        McpSyncClient b = McpClient.sync(SdkClients.streamableHttp(door.endpoint()))
                .requestTimeout(WAIT).initializationTimeout(WAIT)
                .capabilities(ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> {
                    elicitations.add(request);
                    if (elicitations.size() == 1) {
                        try {
                            releaseB.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return new ElicitResult(ElicitResult.Action.ACCEPT, Map.of("name", "Bob"));
                })
                .build();
        ExecutorService async = Executors.newVirtualThreadPerTaskExecutor();
        try {
            b.initialize();
            connect(spec -> spec); // client A declares no capability
            Future<CallToolResult> bCall = async.submit(() ->
                    b.callTool(CallToolRequest.builder("relay__ask_name").arguments(Map.of()).build()));
            Await.until("client B was asked", WAIT, () -> elicitations.size() == 1);

            CallToolResult aResult = call("relay__ask_name", Map.of());
            int askedB = elicitations.size();
            releaseB.countDown();
            CallToolResult bResult = bCall.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertEquals("Nice to meet you, Bob!", SdkClients.text(bResult));
            assertEquals(1, askedB, "client B was asked only its own call's question: " + elicitations);
            // Over stdio nothing says whose call a question belongs to: with two clients calling, it is refused
            // rather than risk asking the wrong one.
            assertEquals(Boolean.TRUE, aResult.isError(), "A's question is not relayed to B: " + aResult);
            assertTrue(SdkClients.text(aResult).contains("cannot tell whose call"), aResult::toString);
        } finally {
            releaseB.countDown();
            async.shutdownNow();
            b.closeGracefully();
        }
    }
}
