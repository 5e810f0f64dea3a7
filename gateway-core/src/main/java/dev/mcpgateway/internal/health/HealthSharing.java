package dev.mcpgateway.internal.health;

import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.registry.Registry;
import dev.mcpgateway.registry.RegistryStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares the health transitions this gateway sees with the gateways sharing its {@link RegistryStore}: each
 * {@link GatewayEvent.HealthChanged} is handed to {@link RegistryStore#recordHealth} (the audit trail, and an
 * announcement where the store has a way to send one), and an instance another gateway saw go unhealthy is probed here
 * at once ({@link RegistryStore#onUnhealthyElsewhere}).
 *
 * <p>Recording happens on a thread of its own behind a bounded queue: health events arrive on the control loop, and
 * neither a slow store nor one that is down may hold it up or fail routing. When the queue is full, transitions are
 * dropped, with one WARN until it has room again.
 */
public final class HealthSharing implements GatewayListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthSharing.class);
    /** Transitions waiting to be recorded; a store that is down fails each within its timeouts, so few wait. */
    static final int QUEUED = 256;

    private final RegistryStore store;
    private final String gateway;
    private final int queued;
    private final ThreadPoolExecutor recorder;
    private final AtomicBoolean dropping = new AtomicBoolean();
    private final AtomicBoolean failing = new AtomicBoolean();

    HealthSharing(RegistryStore store, String gateway, int queued) {
        this.store = store;
        this.gateway = gateway;
        this.queued = queued;
        this.recorder = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queued),
                Thread.ofPlatform().name("mcp-gateway-health-audit").daemon(true).factory(),
                (task, executor) -> dropped());
    }

    /**
     * Starts sharing: records the transitions {@code registry} announces, and, when this gateway probes instances
     * ({@code probing} not null), probes at once the ones another gateway saw go unhealthy.
     */
    public static HealthSharing start(RegistryStore store, Registry registry, ProbingHealthMonitor probing) {
        HealthSharing sharing = new HealthSharing(store, gatewayName(), QUEUED);
        registry.addListener(sharing);
        if (probing != null) {
            // A peer's verdict only makes this gateway look now; its own probe has the final say. Gateways reach an
            // instance over different networks, so one cut off from it by a partition must not take it out of
            // rotation everywhere; the peer's own routing already avoids it.
            store.onUnhealthyElsewhere(probing::probeNow);
        }
        return sharing;
    }

    /** The name this gateway records transitions under: host, process and a random part (several per process). */
    static String gatewayName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }

    @Override
    public void onEvent(GatewayEvent event) {
        if (event instanceof GatewayEvent.HealthChanged changed && !recorder.isShutdown()) {
            RegistryStore.HealthTransition transition = new RegistryStore.HealthTransition(changed.instance().id(),
                    changed.instance().pluginName(), changed.previous(), changed.instance().health(), changed.reason(),
                    gateway);
            recorder.execute(() -> record(transition));
        }
    }

    private void record(RegistryStore.HealthTransition transition) {
        if (recorder.getQueue().isEmpty() && dropping.compareAndSet(true, false)) {
            log.info("Health transitions are recorded in the registry store again");
        }
        try {
            store.recordHealth(transition);
            if (failing.compareAndSet(true, false)) {
                log.info("Health transitions can be recorded in the registry store again");
            }
        } catch (RuntimeException e) {
            if (failing.compareAndSet(false, true)) {
                // Its class only: a store's own message may name its connection, credentials included.
                log.warn("A health transition could not be recorded in the registry store ({}); the audit misses"
                        + " transitions until it can. Routing is not affected", e.getClass().getName());
            }
        }
    }

    private void dropped() {
        if (dropping.compareAndSet(false, true)) {
            log.warn("{} health transitions wait to be recorded in the registry store; dropping further ones until"
                    + " it catches up (the audit misses them; routing is not affected)", queued);
        }
    }

    /** Stops recording; the transitions queued so far are still recorded, for a short while. */
    @Override
    public void close() {
        recorder.shutdown();
        try {
            recorder.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
