package dev.mcpgateway.benchmarks.jmh;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.routing.ExposedTool;
import dev.mcpgateway.routing.RouteTarget;
import dev.mcpgateway.routing.Router;
import dev.mcpgateway.routing.RoutingRule;
import dev.mcpgateway.routing.VersionConstraint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The routing decision a tool call makes before it is sent ({@code Router.route}: table lookup by exposed name,
 * routing rule, balancer pick) against tables of 10 to 50,000 tools built through a real gateway. Each plugin has
 * 50 tools (all of them, if fewer) and three instances, two on the stable version and one canary; the {@code canary}
 * variant adds a 90/10 weighted rule by version over every tool, {@code none} balances over all three instances.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBenchmark {
    static final int TOOLS_PER_PLUGIN = 50;
    static final String STABLE_VERSION = "1.0.0";
    static final String CANARY_VERSION = "1.1.0";
    /** Two stable instances and one canary per plugin. */
    static final int INSTANCES_PER_PLUGIN = 3;

    @Param({"10", "1000", "50000"})
    public int tools;

    @Param({"none", "canary"})
    public String rule;

    McpGateway gateway;
    Router router;
    /**
     * Every exposed name, shuffled so successive calls touch different buckets and routes as real traffic does, and
     * copied so lookups compare characters like names decoded from a request instead of matching by identity.
     */
    String[] names;
    private int next;

    @Setup(Level.Trial)
    public void buildTable() {
        GatewayConfig.Builder config = GatewayConfig.builder();
        if (rule.equals("canary")) {
            config.routingRule(RoutingRule.forTools("*").name("canary")
                    .target(RouteTarget.versions("<" + CANARY_VERSION).weight(90))
                    .target(RouteTarget.versions(">=" + CANARY_VERSION).weight(10))
                    .build());
        } else if (!rule.equals("none")) {
            throw new IllegalArgumentException("rule must be 'none' or 'canary', got '" + rule + "'");
        }
        gateway = McpGateway.builder().config(config.build()).build();
        int toolsPerPlugin = Math.min(tools, TOOLS_PER_PLUGIN);
        if (tools % toolsPerPlugin != 0) {
            throw new IllegalArgumentException("tools must be a multiple of " + toolsPerPlugin + ", got " + tools);
        }
        List<InProcessPlugin> instances = new ArrayList<>();
        for (int p = 0; p < tools / toolsPerPlugin; p++) {
            InProcessPlugin stable = Fleet.plugin(Fleet.pluginName(p), STABLE_VERSION, toolsPerPlugin);
            instances.add(stable);
            instances.add(stable);
            instances.add(Fleet.plugin(Fleet.pluginName(p), CANARY_VERSION, toolsPerPlugin));
        }
        Fleet.registerAll(gateway, instances);
        router = gateway.router();

        List<String> exposed = new ArrayList<>(gateway.listTools().stream().map(ExposedTool::exposedName).toList());
        Collections.shuffle(exposed, new Random(42));
        names = exposed.stream().map(String::new).toArray(String[]::new);
    }

    @TearDown(Level.Trial)
    public void closeGateway() {
        gateway.close();
    }

    /** Routes a call to the next name in the rotation. */
    @Benchmark
    public Router.Routed route() {
        int i = next;
        next = i + 1 == names.length ? 0 : i + 1;
        return router.route(names[i], VersionConstraint.ANY);
    }
}
