package dev.mcpgateway.internal.health;

import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.health.HealthMonitor;
import dev.mcpgateway.internal.health.HealthVerdicts.Source;
import dev.mcpgateway.internal.metrics.ProbeMeters;
import dev.mcpgateway.plugin.InstanceStatus;
import dev.mcpgateway.plugin.PluginInstance;
import dev.mcpgateway.registry.Registry;
import dev.mcpgateway.transport.PluginConnection;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's active health checks: probes every registered instance whose connection is established, as its
 * plugin's {@link HealthCheckOptions} say, and reports what the probes conclude through {@link HealthVerdicts} as
 * {@link Source#PROBE}, repeating the verdict after every probe (verdicts are idempotent, and a new session clears
 * them). Each instance has at most one probe in flight: the next is scheduled only when the last has settled, on the
 * gateway's scheduler, so there is no thread per instance and nothing blocks. Instances are followed through registry
 * events (which arrive on the control loop: only scheduling happens there).
 *
 * <p>It logs once per change it decides (WARN down, INFO up); single probes only at DEBUG.
 */
public final class ProbingHealthMonitor implements HealthMonitor, GatewayListener {
    private static final Logger log = LoggerFactory.getLogger(ProbingHealthMonitor.class);

    private final Function<String, HealthCheckOptions> optionsOfPlugin;
    private final Function<String, CompletableFuture<PluginConnection>> connections;
    private final HealthVerdicts verdicts;
    private final ScheduledExecutorService scheduler;
    private final RandomGenerator random;
    /** Times each probe; null when the gateway records no metrics. */
    private final ProbeMeters meters;
    private final ConcurrentHashMap<String, Prober> probers = new ConcurrentHashMap<>();
    private volatile Registry registry;
    private volatile boolean closed;

    /**
     * The gateway's active health checks when its configuration enables them for all plugins or for any one plugin
     * (see {@link #ProbingHealthMonitor}), else null: a gateway started without any runs no prober.
     */
    public static ProbingHealthMonitor ifEnabled(GatewayConfig config,
                                                 Function<String, HealthCheckOptions> optionsOfPlugin,
                                                 Function<String, CompletableFuture<PluginConnection>> connections,
                                                 HealthVerdicts verdicts, ScheduledExecutorService scheduler,
                                                 ProbeMeters meters) {
        boolean any = config.healthChecks().enabled()
                || config.pluginHealthChecks().values().stream().anyMatch(HealthCheckOptions::enabled);
        return any ? new ProbingHealthMonitor(optionsOfPlugin, connections, verdicts, scheduler, new Random(), meters)
                : null;
    }

    /**
     * @param optionsOfPlugin the health-check options of a plugin, by plugin name
     * @param connections     an instance's connection, by instance id (not done, or failed, while it has none)
     * @param random          spreads the probes (tests pass a seeded one)
     * @param meters          times the probes, or null
     */
    public ProbingHealthMonitor(Function<String, HealthCheckOptions> optionsOfPlugin,
                                Function<String, CompletableFuture<PluginConnection>> connections,
                                HealthVerdicts verdicts, ScheduledExecutorService scheduler, RandomGenerator random,
                                ProbeMeters meters) {
        this.optionsOfPlugin = optionsOfPlugin;
        this.connections = connections;
        this.verdicts = verdicts;
        this.scheduler = scheduler;
        this.random = random;
        this.meters = meters;
    }

    @Override
    public void start(Registry registry) {
        this.registry = registry;
        registry.addListener(this);
        registry.instances().forEach(this::follow);
    }

    @Override
    public void onEvent(GatewayEvent event) {
        switch (event) {
            // Registered anew (replaced): its plugin, so its options, may differ, and its health starts over.
            case GatewayEvent.InstanceRegistered registered -> follow(registered.instance());
            case GatewayEvent.InstanceDeregistered gone -> forget(gone.instance().id());
            case GatewayEvent.LeaseExpired gone -> forget(gone.instance().id());
            default -> {
            }
        }
    }

    /**
     * Looks again at every instance's options (after the gateway was reconfigured): an instance whose plugin's options
     * changed gets a prober with the new ones (or none, when they are disabled); the others keep theirs, mid-streak.
     */
    public void optionsChanged() {
        Registry current = registry;
        if (current == null || closed) {
            return;
        }
        for (PluginInstance instance : current.instances()) {
            Prober prober = probers.get(instance.id());
            HealthCheckOptions options = optionsOfPlugin.apply(instance.pluginName());
            if (prober == null ? options.enabled() : !prober.options.equals(options)) {
                follow(instance);
            }
        }
    }

    /**
     * Probes an instance now rather than at its next turn (another gateway saw it go unhealthy); the result counts
     * as any probe's. Nothing happens for an instance not probed here, or whose probe is in flight already.
     */
    public void probeNow(String instanceId) {
        Prober prober = probers.get(instanceId);
        if (prober != null) {
            prober.now();
        }
    }

    /** How many instances are being probed. */
    public int probedInstances() {
        return probers.size();
    }

    @Override
    public void close() {
        closed = true;
        Registry current = registry;
        if (current != null) {
            current.removeListener(this);
        }
        probers.values().forEach(Prober::stop);
        probers.clear();
    }

    private void follow(PluginInstance instance) {
        HealthCheckOptions options = optionsOfPlugin.apply(instance.pluginName());
        Prober prober = options.enabled() && !closed ? new Prober(instance, options) : null;
        Prober old = prober != null ? probers.put(instance.id(), prober) : probers.remove(instance.id());
        if (old != null) {
            old.stop();
        }
        if (prober != null) {
            prober.schedule(prober.timing.first());
        }
    }

    private void forget(String instanceId) {
        Prober prober = probers.remove(instanceId);
        if (prober != null) {
            prober.stop();
        }
    }

    /** One instance's probes: the next one scheduled, or the one in flight; never both, never two. */
    private final class Prober {
        final String instanceId;
        final String plugin;
        final String name;
        final HealthCheckOptions options;
        final ProbeTiming timing;
        /** Guarded by this, like the fields below. */
        final ProbeStreak streak;
        /** The sessions with the instance so far, as last seen: a change means the verdicts were cleared. */
        long sessionsSeen;
        ScheduledFuture<?> next;
        boolean stopped;

        Prober(PluginInstance instance, HealthCheckOptions options) {
            this.instanceId = instance.id();
            this.plugin = instance.pluginName();
            this.name = "plugin '" + instance.pluginName() + "' (" + instance.id() + ")";
            this.options = options;
            this.timing = new ProbeTiming(options, random);
            this.streak = new ProbeStreak(options.unhealthyThreshold(), options.healthyThreshold());
            this.sessionsSeen = verdicts.sessions(instanceId);
        }

        synchronized void schedule(Duration delay) {
            if (stopped) {
                return;
            }
            try {
                next = scheduler.schedule(this::probe, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                log.debug("Not probing {}: the gateway is shutting down", name);
            }
        }

        /** The next probe now, unless it is running already (then it is the one asked for). */
        synchronized void now() {
            if (!stopped && next != null && next.cancel(false)) {
                schedule(Duration.ZERO);
            }
        }

        synchronized void stop() {
            stopped = true;
            if (next != null) {
                next.cancel(false);
            }
        }

        private void probe() {
            try {
                PluginConnection connection = established();
                if (connection == null) {
                    // Not connected: the connection speaks for the instance (it is down) until a session is back.
                    schedule(timing.next(false));
                    return;
                }
                long sessions = verdicts.sessions(instanceId);
                // Sent under the lock (sending only starts the request), so no probe leaves after stop() returned.
                synchronized (this) {
                    if (!stopped) {
                        sent(() -> ProbeCall.send(options.probe(), connection, options.timeout()))
                                .thenAccept(result -> settle(sessions, result))
                                .exceptionally(this::keepProbing);
                    }
                }
            } catch (RuntimeException e) {
                keepProbing(e);
            }
        }

        /** The probe's result, timed when the gateway records metrics (whatever the session it was about). */
        private CompletableFuture<ProbeCall.Result> sent(Supplier<CompletableFuture<ProbeCall.Result>> probe) {
            if (meters == null) {
                return probe.get();
            }
            long sentAt = System.nanoTime();
            return probe.get().whenComplete((result, error) -> {
                if (result != null) {
                    meters.record(plugin, result.passed(), System.nanoTime() - sentAt);
                }
            });
        }

        /**
         * A probe that failed inside the gateway (not the plugin's fault) is logged and the next one scheduled: an
         * instance whose probe chain broke would otherwise never be probed again, and never leave rotation.
         */
        private Void keepProbing(Throwable error) {
            log.warn("Probing {} failed inside the gateway; probing again at the next interval", name, error);
            schedule(timing.next(false));
            return null;
        }

        /** The instance's connection if a session is established and its tools were listed, else null. */
        private PluginConnection established() {
            CompletableFuture<PluginConnection> connecting = connections.apply(instanceId);
            if (!connecting.isDone() || connecting.isCompletedExceptionally()) {
                return null;
            }
            PluginConnection connection = connecting.join();
            Registry current = registry;
            boolean listed = current != null && current.instance(instanceId)
                    .map(instance -> instance.status() != InstanceStatus.STARTING).orElse(false);
            return connection.isOpen() && listed ? connection : null;
        }

        private synchronized void settle(long sessionsAtProbe, ProbeCall.Result result) {
            if (stopped) {
                return;
            }
            long sessions = verdicts.sessions(instanceId);
            if (sessions != sessionsSeen) {
                sessionsSeen = sessions;
                streak.reset();
            }
            if (sessions != sessionsAtProbe) {
                // The answer was about a session that has since been replaced: it says nothing of the new one.
                schedule(timing.next(false));
                return;
            }
            log.debug("Health probe of {}: {}", name, result.detail());
            ProbeStreak.Change change = result.passed() ? streak.passed(result.detail()) : streak.failed(result.detail());
            if (streak.isDown()) {
                verdicts.down(instanceId, Source.PROBE, streak.downReason());
            } else {
                verdicts.up(instanceId, Source.PROBE, streak.upReason());
            }
            switch (change) {
                case DOWN -> log.warn("{} failed its health checks, taking it out of rotation: {}", name,
                        streak.downReason());
                case UP -> log.info("{} passes its health checks again: {}", name, streak.upReason());
                case NONE -> {
                }
            }
            schedule(timing.next(streak.isUnsettled()));
        }
    }
}
