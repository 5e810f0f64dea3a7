package dev.mcpgateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.LoadBalancer;
import dev.mcpgateway.balancer.Picker;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.transport.NotSentException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A retried call goes to another instance than the one it failed on, when the balancer offers one: an instance that
 * just refused a call (its server was killed) is picked again until the routing table leaves it out, and three
 * attempts on it would fail a call that a healthy instance could serve.
 */
class RetryElsewhereTest {
    private static final String BROKEN = "calc-1";
    private final List<String> attempts = new CopyOnWriteArrayList<>();
    private McpGateway gateway;

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void aRetryIsRoutedAwayFromTheInstanceTheCallFailedOn() {
        gateway = McpGateway.builder()
                .config(GatewayConfig.builder().loadBalancer(new FirstPicksFavourTheFirstInstance(4)).build())
                .attemptInterceptor(chain -> {
                    String instance = chain.routed().endpoint().id();
                    attempts.add(instance);
                    return instance.equals(BROKEN)
                            ? CompletableFuture.failedFuture(new NotSentException(instance + " refused the connection", null))
                            : chain.proceed(chain.call());
                })
                .build();
        for (int i = 0; i < 3; i++) {
            gateway.registerInProcess(InProcessPlugin.builder("calc")
                    .tool("add", "Adds", (args, ctx) -> CallToolResult.text("added"))
                    .build()).join();
        }

        assertEquals("added", gateway.callTool("calc__add", Json.object()).join().firstText());

        assertEquals(List.of(BROKEN, "calc-2"), attempts, "the retry skipped the instance the call failed on");
    }

    /** Picks the first endpoint for the first {@code favoured} picks, then each in turn: a balancer's bad luck. */
    private static final class FirstPicksFavourTheFirstInstance implements LoadBalancer {
        private final AtomicInteger picks = new AtomicInteger();
        private final int favoured;

        FirstPicksFavourTheFirstInstance(int favoured) {
            this.favoured = favoured;
        }

        @Override
        public String name() {
            return "favour-first";
        }

        @Override
        public Picker newPicker(Picker previous, List<Endpoint> endpoints) {
            return new Picker() {
                @Override
                public Endpoint pick() {
                    List<Endpoint> routable = endpoints.stream().filter(e -> e.instance().isRoutable()).toList();
                    if (routable.isEmpty()) {
                        return null;
                    }
                    int n = picks.getAndIncrement();
                    return routable.get(n < favoured ? 0 : n % routable.size());
                }

                @Override
                public List<Endpoint> endpoints() {
                    return endpoints;
                }
            };
        }
    }
}
