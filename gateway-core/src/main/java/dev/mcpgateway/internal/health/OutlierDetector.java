package dev.mcpgateway.internal.health;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.event.GatewayEvent;
import dev.mcpgateway.event.GatewayListener;
import dev.mcpgateway.health.OutlierDetection;
import dev.mcpgateway.internal.health.HealthVerdicts.Source;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outlier detection of real calls (see {@link OutlierDetection}): each attempt asks for a {@link Permit} on its instance
 * and reports its outcome; the detector keeps each instance's recent record, ejects it through
 * {@link HealthVerdicts} ({@link Source#OUTLIER}) when it fails or lags, ends the ejection when its time is up (a sweep
 * on the gateway's scheduler, by the injected clock) and lets it back on trial.
 *
 * <p>The hot path (a permit and a success on an instance in rotation) reads one volatile field, bumps a bucket of the
 * call window and the latency average with a compare-and-set each, and allocates nothing. Failures read the window;
 * the latency comparison with peers runs at most once per tenth of the window per instance. Every change of an
 * instance's phase (ejected, on trial, back) happens under the detector's lock, so two instances of a tool cannot
 * both slip past the cap on ejected instances, and the verdict reaches {@code HealthVerdicts} in the order decided.
 */
public final class OutlierDetector implements GatewayListener {
    private static final Logger log = LoggerFactory.getLogger(OutlierDetector.class);
    /** Weight of the newest latency in an instance's average (as the balancers' {@code EndpointStats}). */
    private static final double EWMA_ALPHA = 0.2;
    /** An instance's latency is compared with its peers' only with at least this many peers in rotation. */
    private static final int MIN_LATENCY_PEERS = 2;

    /** What an attempt may do on its instance. */
    public enum Permit {
        /** The instance is in rotation: go ahead. */
        GRANTED,
        /** The instance is on trial and this attempt is one of its trial calls. */
        TRIAL,
        /** The instance is ejected (the routing table had not caught up yet): go elsewhere. */
        EJECTED,
        /** The instance is on trial and runs as many trial calls as it may: go elsewhere. */
        TRIAL_FULL
    }

    /** How a call failed its instance. */
    public enum Failure {
        /** It did not answer in time. */
        TIMEOUT,
        /** It could not be reached, or its connection broke. */
        UNREACHABLE
    }

    private static final int ACTIVE = 0;
    private static final int EJECTED = 1;
    private static final int TRIAL = 2;

    private final OutlierDetection options;
    private final HealthVerdicts verdicts;
    private final Clock clock;
    private final long windowMillis;
    private final long baseEjectionMillis;
    private final long maxEjectionMillis;
    private final long latencyCheckMillis;
    private final ConcurrentHashMap<String, Instance> instances = new ConcurrentHashMap<>();

    /**
     * @param options  when to eject, for how long, and how instances come back
     * @param verdicts where ejections and their ends are reported
     * @param clock    the time windows and ejections are measured with (tests move a fake one)
     */
    public OutlierDetector(OutlierDetection options, HealthVerdicts verdicts, Clock clock) {
        this.options = options;
        this.verdicts = verdicts;
        this.clock = clock;
        this.windowMillis = options.window().toMillis();
        this.baseEjectionMillis = options.baseEjection().toMillis();
        this.maxEjectionMillis = options.maxEjection().toMillis();
        this.latencyCheckMillis = Math.max(1, windowMillis / CallWindow.BUCKETS);
    }

    /**
     * Ends ejections whose time is up, from now on every tenth of the shortest ejection (at most a second, at
     * least 10 ms), on the gateway's scheduler.
     */
    public void start(ScheduledExecutorService scheduler) {
        long period = Math.clamp(baseEjectionMillis / 10, 10, 1_000);
        scheduler.scheduleWithFixedDelay(this::endEjectionsSafely, period, period, TimeUnit.MILLISECONDS);
    }

    /** The record of one instance, kept until it leaves the registry; look it up once per attempt. */
    public Instance instance(String instanceId) {
        Instance instance = instances.get(instanceId);
        return instance != null ? instance : instances.computeIfAbsent(instanceId, id -> new Instance(id, windowMillis));
    }

    /**
     * Asks whether an attempt may run on an instance. A {@link Permit#GRANTED} or {@link Permit#TRIAL} attempt must
     * report its end ({@link #answered}, {@link #failed} or {@link #abandoned}) with that permit.
     */
    public Permit permit(Instance instance) {
        switch (instance.phase) {
            case ACTIVE -> {
                return Permit.GRANTED;
            }
            case TRIAL -> {
                return instance.tryTrialCall(options.trialCalls()) ? Permit.TRIAL : Permit.TRIAL_FULL;
            }
            default -> {
                return resumedAfterNewSession(instance) ? Permit.GRANTED : Permit.EJECTED;
            }
        }
    }

    /** Why an attempt was refused, for the caller's error if no other instance takes it. */
    public String refusal(Instance instance, Permit permit) {
        return permit == Permit.EJECTED
                ? "Plugin instance '" + instance.id + "' is out of rotation, " + instance.reason
                : "Plugin instance '" + instance.id + "' is back from an ejection on trial and already runs its "
                        + options.trialCalls() + " trial calls (OutlierDetection.trialCalls); try again later";
    }

    /**
     * An attempt got the plugin's answer (a result, {@code isError} or not, or the plugin's JSON-RPC error).
     *
     * @param peers        the endpoints of the attempt's route (the instance among them), its peers for latency
     * @param latencyNanos how long the answer took
     */
    public void answered(Instance instance, Permit permit, List<Endpoint> peers, long latencyNanos) {
        if (permit == Permit.TRIAL) {
            instance.trialInFlight.decrementAndGet();
            if (instance.trialSuccesses.incrementAndGet() >= options.trialCalls()) {
                passTrial(instance);
            }
            return;
        }
        if (instance.phase != ACTIVE) {
            return; // sent before the ejection: its answer says nothing now
        }
        long now = clock.millis();
        instance.window.record(now, false);
        if (instance.consecutiveFailures.get() != 0) {
            instance.consecutiveFailures.set(0);
            instance.consecutiveTimeouts.set(0);
        }
        double average = instance.addLatency(latencyNanos);
        if (peers.size() > MIN_LATENCY_PEERS && now >= instance.latencyCheckDue.get()) {
            checkLatency(instance, peers, now, average);
        }
    }

    /** An attempt failed its instance: it timed out, or could not reach it. */
    public void failed(Instance instance, Permit permit, List<Endpoint> peers, Failure failure) {
        if (permit == Permit.TRIAL) {
            instance.trialInFlight.decrementAndGet();
            eject(instance, TRIAL, peers, clock.millis(), "a call on trial failed (" + describe(failure) + ")");
            return;
        }
        if (instance.phase != ACTIVE) {
            return;
        }
        long now = clock.millis();
        instance.window.record(now, true);
        int inRow = instance.consecutiveFailures.incrementAndGet();
        int timeouts = failure == Failure.TIMEOUT ? instance.consecutiveTimeouts.incrementAndGet()
                : instance.consecutiveTimeouts.get();
        if (inRow >= options.consecutiveFailures()) {
            eject(instance, ACTIVE, peers, now, inRow + " consecutive failures (" + describe(inRow, timeouts) + ")");
            return;
        }
        long counts = instance.window.counts(now);
        int calls = CallWindow.calls(counts);
        int failures = CallWindow.failures(counts);
        if (calls >= options.minimumCalls() && failures >= options.failureRateThreshold() * calls) {
            eject(instance, ACTIVE, peers, now, String.format(Locale.ROOT, "%d of its last %d calls failed within %s"
                            + " (%.0f %%, failureRateThreshold %.0f %%)", failures, calls,
                    describe(windowMillis), 100.0 * failures / calls,
                    100 * options.failureRateThreshold()));
        }
    }

    /** An attempt ended without telling anything about its instance (its caller cancelled it). */
    public void abandoned(Instance instance, Permit permit) {
        if (permit == Permit.TRIAL) {
            instance.trialInFlight.decrementAndGet();
        }
    }

    /** Ends the ejections whose time is up: their instances come back on trial. The scheduler calls this. */
    public void endEjections() {
        long now = clock.millis();
        for (Instance instance : instances.values()) {
            if (instance.phase == EJECTED && now >= instance.ejectedUntil) {
                String reason;
                synchronized (this) {
                    if (instance.phase != EJECTED || now < instance.ejectedUntil) {
                        continue;
                    }
                    instance.trialInFlight.set(0);
                    instance.trialSuccesses.set(0);
                    instance.phase = TRIAL;
                    reason = "its ejection ended (" + instance.reason + "); back on trial";
                    verdicts.up(instance.id, Source.OUTLIER, reason);
                }
                log.info("Plugin instance {}: {}", instance.id, reason);
            }
        }
    }

    /** Forgets instances that left (an id registered anew starts with a clean record). */
    @Override
    public void onEvent(GatewayEvent event) {
        switch (event) {
            case GatewayEvent.InstanceDeregistered gone -> instances.remove(gone.instance().id());
            case GatewayEvent.LeaseExpired gone -> instances.remove(gone.instance().id());
            case GatewayEvent.InstanceRegistered registered when registered.replaced() != null ->
                    instances.remove(registered.instance().id());
            default -> {
            }
        }
    }

    private void endEjectionsSafely() {
        try {
            endEjections();
        } catch (RuntimeException e) {
            log.warn("Ending outlier ejections failed; trying again shortly", e);
        }
    }

    /** Compares the instance's latency with its peers' median, at most once per {@link #latencyCheckMillis}. */
    private void checkLatency(Instance instance, List<Endpoint> peers, long now, double average) {
        long due = instance.latencyCheckDue.get();
        if (CallWindow.calls(instance.window.counts(now)) < options.minimumCalls()
                || !instance.latencyCheckDue.compareAndSet(due, now + latencyCheckMillis)) {
            return;
        }
        double[] averages = new double[peers.size()];
        int n = 0;
        for (Endpoint peer : peers) {
            Instance other = peer.id().equals(instance.id) ? null : instances.get(peer.id());
            if (other != null && other.phase == ACTIVE && peer.instance().isRoutable()) {
                double latency = other.latencyNanos();
                if (latency > 0) {
                    averages[n++] = latency;
                }
            }
        }
        if (n < MIN_LATENCY_PEERS) {
            return;
        }
        Arrays.sort(averages, 0, n);
        double median = n % 2 == 1 ? averages[n / 2] : (averages[n / 2 - 1] + averages[n / 2]) / 2;
        if (average > options.latencyFactor() * median) {
            eject(instance, ACTIVE, peers, now, String.format(Locale.ROOT, "it answers in %s on average, %.1f times"
                            + " the median %s of its %d peers (latencyFactor %s)", describeNanos(average),
                    average / median, describeNanos(median), n, options.latencyFactor()));
        }
    }

    /**
     * Ejects the instance if it is still in the phase the decision was made in and the tool's cap on ejected instances
     * allows; the longer each time it was ejected lately.
     */
    private void eject(Instance instance, int decidedIn, List<Endpoint> peers, long now, String cause) {
        String reason;
        synchronized (this) {
            if (instance.phase != decidedIn) {
                return;
            }
            int ejectedPeers = 0;
            for (Endpoint peer : peers) {
                Instance other = peer.id().equals(instance.id) ? null : instances.get(peer.id());
                if (other != null && other.phase == EJECTED) {
                    ejectedPeers++;
                }
            }
            int allowed = Math.max(1, (int) (options.maxEjectedShare() * peers.size()));
            if (ejectedPeers >= allowed) {
                log.debug("Plugin instance {} is not ejected although {}: {} of the tool's {} instances are ejected"
                        + " already (maxEjectedShare {})", instance.id, cause, ejectedPeers, peers.size(),
                        options.maxEjectedShare());
                return;
            }
            if (decidedIn == ACTIVE && instance.backSince != 0) {
                // The multiplier decays: one step for every base ejection spent in rotation since it was last back.
                long steps = (now - instance.backSince) / baseEjectionMillis;
                instance.ejections = (int) Math.max(0, instance.ejections - steps);
            }
            long cappedSteps = maxEjectionMillis / baseEjectionMillis + 1;
            instance.ejections = (int) Math.min(instance.ejections + 1L, cappedSteps);
            long millis = Math.min(baseEjectionMillis * instance.ejections, maxEjectionMillis);
            instance.ejectedUntil = now + millis;
            reason = "ejected for " + describe(millis) + ": " + cause;
            instance.reason = reason;
            instance.phase = EJECTED;
            verdicts.down(instance.id, Source.OUTLIER, reason);
        }
        log.warn("Plugin instance {} {}", instance.id, reason);
    }

    /** Enough trial calls succeeded: the instance is fully back, with a clean record. */
    private void passTrial(Instance instance) {
        synchronized (this) {
            if (instance.phase != TRIAL) {
                return;
            }
            instance.clearRecord();
            instance.backSince = clock.millis();
            instance.phase = ACTIVE;
        }
        log.debug("Plugin instance {} passed its trial after an ejection", instance.id);
    }

    /**
     * Whether an ejected instance's ejection was dropped by a new session with it ({@link HealthVerdicts#connected}
     * clears every verdict: a restarted process starts afresh); then it is back in rotation with a clean record.
     */
    private boolean resumedAfterNewSession(Instance instance) {
        if (verdicts.isDown(instance.id, Source.OUTLIER)) {
            return false;
        }
        synchronized (this) {
            // The ejection and its verdict are set under this lock: seen together, they are consistent.
            if (instance.phase != EJECTED || verdicts.isDown(instance.id, Source.OUTLIER)) {
                return instance.phase == ACTIVE;
            }
            instance.clearRecord();
            instance.backSince = clock.millis();
            instance.phase = ACTIVE;
        }
        log.info("Plugin instance {} is back in rotation: a new session with it ended its ejection", instance.id);
        return true;
    }

    private static String describe(Failure failure) {
        return failure == Failure.TIMEOUT ? "timeout" : "unreachable";
    }

    private static String describe(int failures, int timeouts) {
        if (timeouts == failures) {
            return "timeouts";
        }
        return timeouts == 0 ? "unreachable" : timeouts + " timeouts, " + (failures - timeouts) + " unreachable";
    }

    private static String describe(long millis) {
        if (millis % 1000 != 0) {
            return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return millis / 1000 + " s";
    }

    private static String describeNanos(double nanos) {
        return nanos >= 1e9 ? String.format(Locale.ROOT, "%.1f s", nanos / 1e9)
                : String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** One instance's record; its phase and ejection fields change under the detector's lock. */
    public static final class Instance {
        private final String id;
        private volatile int phase = ACTIVE;
        private final CallWindow window;
        private final AtomicInteger consecutiveFailures = new AtomicInteger();
        private final AtomicInteger consecutiveTimeouts = new AtomicInteger();
        private final AtomicLong latencyEwmaBits = new AtomicLong();
        /** When the latency may next be compared with the peers' (clock millis). */
        private final AtomicLong latencyCheckDue = new AtomicLong();
        private final AtomicInteger trialInFlight = new AtomicInteger();
        private final AtomicInteger trialSuccesses = new AtomicInteger();
        /** Times ejected lately, the ejection's multiplier. */
        private int ejections;
        /** When the last ejection ends (clock millis). */
        private volatile long ejectedUntil;
        /** When it was last fully back in rotation (clock millis), 0 if never ejected. */
        private long backSince;
        /** Why it was last ejected. */
        private volatile String reason;

        private Instance(String id, long windowMillis) {
            this.id = id;
            this.window = new CallWindow(windowMillis);
        }

        /** The latency average in nanoseconds, 0 before the first answer. */
        double latencyNanos() {
            return Double.longBitsToDouble(latencyEwmaBits.get());
        }

        private double addLatency(long nanos) {
            while (true) {
                long bits = latencyEwmaBits.get();
                double current = Double.longBitsToDouble(bits);
                double next = current == 0.0 ? nanos : current + EWMA_ALPHA * (nanos - current);
                if (latencyEwmaBits.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
                    return next;
                }
            }
        }

        private boolean tryTrialCall(int limit) {
            while (true) {
                int running = trialInFlight.get();
                if (running >= limit) {
                    return false;
                }
                if (trialInFlight.compareAndSet(running, running + 1)) {
                    return true;
                }
            }
        }

        private void clearRecord() {
            window.clear();
            consecutiveFailures.set(0);
            consecutiveTimeouts.set(0);
            latencyEwmaBits.set(0);
            latencyCheckDue.set(0);
        }
    }
}
