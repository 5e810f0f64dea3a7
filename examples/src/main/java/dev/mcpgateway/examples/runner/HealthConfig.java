package dev.mcpgateway.examples.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mcpgateway.GatewayConfig;
import dev.mcpgateway.health.HealthCheckOptions;
import dev.mcpgateway.health.HealthProbe;
import dev.mcpgateway.health.OutlierDetection;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The runner's {@code health:} section: how instances are probed, how long a down plugin's tools stay listed, and when
 * instances are ejected for failing calls. Every key is optional; what is left out takes the library's default
 * ({@link HealthCheckOptions#defaults()}, {@link OutlierDetection#defaults()}, {@link GatewayConfig#toolGracePeriod()}).
 *
 * @param enabled            whether instances are probed at all, true by default
 * @param interval           between probes of one instance, 10 s by default (±10 % jitter)
 * @param timeout            a probe not answered by then fails, 3 s by default (at most half a short interval)
 * @param unhealthyThreshold failed probes in a row that take an instance out of rotation, 2 by default
 * @param healthyThreshold   passed probes in a row that bring it back, 2 by default
 * @param probe              {@code ping} (the default: ping, or server/discover for 2026-07-28 plugins) or
 *                           {@code tools/list}
 * @param tool               a tool of the plugin to call as the probe instead (its own name): a deep check
 * @param arguments          the arguments of that tool call
 * @param gracePeriod        how long a plugin's tools stay listed once all its instances are down, 60 s by default
 * @param outlierDetection   when instances are ejected for failing or lagging calls
 * @param recheckInterval    time to the next probe after one that disagrees with the instance's state, 1 s by default
 *                           (at most the interval)
 * @param jitter             how far each interval may stray at random, as a fraction of it, 0.1 (±10 %) by default
 */
public record HealthConfig(Boolean enabled, Duration interval, Duration timeout, Integer unhealthyThreshold,
                           Integer healthyThreshold, String probe, String tool, Map<String, Object> arguments,
                           Duration gracePeriod, Outliers outlierDetection, Duration recheckInterval, Double jitter) {
    /** Everything by default. */
    public static final HealthConfig DEFAULT = new HealthConfig(null, null, null, null, null, null, null, null, null,
            null, null, null);
    /** The values of {@code probe}. */
    public static final List<String> PROBES = List.of("ping", "tools/list");
    private static final ObjectMapper JSON = new ObjectMapper();

    public HealthConfig {
        new Checks(enabled, interval, timeout, unhealthyThreshold, healthyThreshold, probe, tool, arguments,
                recheckInterval, jitter).options();
        outlierDetection = outlierDetection == null ? Outliers.DEFAULT : outlierDetection;
    }

    /** This section with another probe interval (the {@code HEALTH_CHECK_INTERVAL} override). */
    public HealthConfig withInterval(Duration newInterval) {
        return new HealthConfig(enabled, newInterval, timeout, unhealthyThreshold, healthyThreshold, probe, tool,
                arguments, gracePeriod, outlierDetection, recheckInterval, jitter);
    }

    /** The probing settings of this section, which each plugin's own {@code health:} may override. */
    public Checks checks() {
        return new Checks(enabled, interval, timeout, unhealthyThreshold, healthyThreshold, probe, tool, arguments,
                recheckInterval, jitter);
    }

    /** Puts the section into a gateway configuration; {@code plugins} may override the probing per plugin. */
    void applyTo(GatewayConfig.Builder builder, List<RunnerConfig.Plugin> plugins) {
        builder.healthChecks(checks().options()).outlierDetection(outlierDetection.options());
        if (gracePeriod != null) {
            builder.toolGracePeriod(gracePeriod);
        }
        for (RunnerConfig.Plugin plugin : plugins) {
            if (plugin.health() != null) {
                builder.healthChecks(plugin.name(), plugin.health().over(checks()).options());
            }
        }
    }

    /**
     * How instances are probed: the probing keys of {@code health:}, and a plugin's own {@code health:}, whose keys
     * override the section's for that plugin (e.g. a deep check with {@code tool}).
     *
     * @param enabled            whether to probe
     * @param interval           between probes
     * @param timeout            a probe not answered by then fails
     * @param unhealthyThreshold failed probes in a row that take an instance out
     * @param healthyThreshold   passed probes in a row that bring it back
     * @param probe              {@code ping} or {@code tools/list}
     * @param tool               a tool to call as the probe instead
     * @param arguments          that tool's arguments
     * @param recheckInterval    time to the next probe after one that disagrees with the instance's state
     * @param jitter             how far each interval may stray at random, as a fraction of it
     */
    public record Checks(Boolean enabled, Duration interval, Duration timeout, Integer unhealthyThreshold,
                         Integer healthyThreshold, String probe, String tool, Map<String, Object> arguments,
                         Duration recheckInterval, Double jitter) {
        public Checks {
            probe = probe == null ? null : probe.strip().toLowerCase(Locale.ROOT);
            if (probe != null && !PROBES.contains(probe)) {
                throw new IllegalArgumentException("unknown health probe '" + probe + "'; use one of " + PROBES
                        + ", or name a tool to call with 'tool: <name>'");
            }
            if (probe != null && tool != null) {
                throw new IllegalArgumentException("a health check takes either 'probe' or 'tool', not both");
            }
            if (arguments != null && tool == null) {
                throw new IllegalArgumentException("health 'arguments' are for the tool call named by 'tool: <name>'");
            }
            arguments = arguments == null ? null : Map.copyOf(arguments);
        }

        /** These settings where they are set, {@code base}'s elsewhere: a plugin's own over the section's. */
        public Checks over(Checks base) {
            boolean ownProbe = probe != null || tool != null;
            return new Checks(enabled != null ? enabled : base.enabled, interval != null ? interval : base.interval,
                    timeout != null ? timeout : base.timeout,
                    unhealthyThreshold != null ? unhealthyThreshold : base.unhealthyThreshold,
                    healthyThreshold != null ? healthyThreshold : base.healthyThreshold,
                    ownProbe ? probe : base.probe, ownProbe ? tool : base.tool, ownProbe ? arguments : base.arguments,
                    recheckInterval != null ? recheckInterval : base.recheckInterval,
                    jitter != null ? jitter : base.jitter);
        }

        /**
         * These settings as the gateway takes them; what is left out takes {@link HealthCheckOptions}' default (a
         * short interval shortens the default timeout to fit).
         *
         * @throws IllegalArgumentException when the result is not valid, saying what to fix
         */
        public HealthCheckOptions options() {
            HealthCheckOptions.Builder builder = HealthCheckOptions.builder();
            if (enabled != null) {
                builder.enabled(enabled);
            }
            if (interval != null) {
                builder.interval(interval);
            }
            if (timeout != null) {
                builder.timeout(timeout);
            }
            if (unhealthyThreshold != null) {
                builder.unhealthyThreshold(unhealthyThreshold);
            }
            if (healthyThreshold != null) {
                builder.healthyThreshold(healthyThreshold);
            }
            if (recheckInterval != null) {
                builder.recheckInterval(recheckInterval);
            }
            if (jitter != null) {
                builder.jitter(jitter);
            }
            if (tool != null) {
                builder.probe(HealthProbe.callTool(tool, arguments == null ? null : JSON.valueToTree(arguments)));
            } else if (probe != null) {
                builder.probe("tools/list".equals(probe) ? HealthProbe.listTools() : HealthProbe.protocol());
            }
            return builder.build();
        }
    }

    /**
     * {@code health.outlierDetection}: when an instance whose calls fail or lag is ejected from rotation (see
     * {@link OutlierDetection}); what is left out takes the default.
     *
     * @param enabled             whether instances are ejected at all, true by default
     * @param consecutiveFailures failed calls in a row (timeouts, broken connections) that eject, 5 by default
     * @param baseEjection        the first ejection's length, 30 s by default; it grows with each repeat
     * @param maxEjection         the longest ejection, 5 min by default
     * @param maxEjectedShare     the largest share of a plugin's instances ejected at once, 0.5 by default (at least one)
     * @param failureRateThreshold the share of failed calls within {@code window} that ejects, 0.5 by default
     * @param minimumCalls        calls within the window before its failure rate or latency is judged, 10 by default
     * @param window              how far back the failure rate looks, 10 s by default
     * @param latencyFactor       how many times its peers' median latency makes an instance an outlier, 5 by default
     * @param trialCalls          calls at a time on an instance back from ejection, and the successes that bring it
     *                            fully back, 3 by default
     * @param failInFlightOnEjection whether calls in flight on an instance that turns unhealthy fail at once (so they
     *                            can be retried elsewhere), true by default
     */
    public record Outliers(Boolean enabled, Integer consecutiveFailures, Duration baseEjection, Duration maxEjection,
                           Double maxEjectedShare, Double failureRateThreshold, Integer minimumCalls, Duration window,
                           Double latencyFactor, Integer trialCalls, Boolean failInFlightOnEjection) {
        /** The defaults. */
        public static final Outliers DEFAULT = new Outliers(null, null, null, null, null, null, null, null, null, null,
                null);

        public Outliers {
            options(enabled, consecutiveFailures, baseEjection, maxEjection, maxEjectedShare, failureRateThreshold,
                    minimumCalls, window, latencyFactor, trialCalls, failInFlightOnEjection);
        }

        /** These settings over {@link OutlierDetection#defaults()}. */
        public OutlierDetection options() {
            return options(enabled, consecutiveFailures, baseEjection, maxEjection, maxEjectedShare, failureRateThreshold,
                    minimumCalls, window, latencyFactor, trialCalls, failInFlightOnEjection);
        }

        // Static, so that the constructor validates the values before the record holds them.
        private static OutlierDetection options(Boolean enabled, Integer consecutiveFailures, Duration baseEjection,
                                                Duration maxEjection, Double maxEjectedShare,
                                                Double failureRateThreshold, Integer minimumCalls, Duration window,
                                                Double latencyFactor, Integer trialCalls,
                                                Boolean failInFlightOnEjection) {
            OutlierDetection defaults = OutlierDetection.defaults();
            OutlierDetection.Builder builder = OutlierDetection.builder();
            if (enabled != null) {
                builder.enabled(enabled);
            }
            if (consecutiveFailures != null) {
                builder.consecutiveFailures(consecutiveFailures);
            }
            if (baseEjection != null || maxEjection != null) {
                builder.ejection(baseEjection != null ? baseEjection : defaults.baseEjection(),
                        maxEjection != null ? maxEjection : defaults.maxEjection());
            }
            if (maxEjectedShare != null) {
                builder.maxEjectedShare(maxEjectedShare);
            }
            if (failureRateThreshold != null || minimumCalls != null || window != null) {
                builder.failureRate(failureRateThreshold != null ? failureRateThreshold
                                : defaults.failureRateThreshold(), minimumCalls != null ? minimumCalls
                                : defaults.minimumCalls(), window != null ? window : defaults.window());
            }
            if (latencyFactor != null) {
                builder.latencyFactor(latencyFactor);
            }
            if (trialCalls != null) {
                builder.trialCalls(trialCalls);
            }
            if (failInFlightOnEjection != null) {
                builder.failInFlightOnEjection(failInFlightOnEjection);
            }
            return builder.build();
        }
    }
}
