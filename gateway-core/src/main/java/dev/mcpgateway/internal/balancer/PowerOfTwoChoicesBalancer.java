package dev.mcpgateway.internal.balancer;

import dev.mcpgateway.balancer.Endpoint;
import dev.mcpgateway.balancer.EndpointStats;
import dev.mcpgateway.balancer.Picker;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Power of two random choices: two distinct endpoints drawn at random, and the less loaded of them wins. Load is
 * {@code (calls in flight + 1) × latency average}, so a slow endpoint needs fewer calls in flight to look busy.
 * Lock-free, and nearly as good as scanning every endpoint while avoiding the herd a global minimum attracts.
 */
public final class PowerOfTwoChoicesBalancer extends BaseBalancer {
    /** The only instance; the strategy itself holds no state. */
    public static final PowerOfTwoChoicesBalancer INSTANCE = new PowerOfTwoChoicesBalancer();

    private PowerOfTwoChoicesBalancer() {
        super("p2c");
    }

    @Override
    Picker build(Picker previous, List<Endpoint> endpoints) {
        return new PowerOfTwoChoicesPicker(endpoints);
    }

    /**
     * Whether {@code a} carries strictly less load than {@code b}. An endpoint without a latency sample yet borrows
     * its competitor's latency (the comparison then falls back to calls in flight): a fixed stand-in latency would
     * either flood a new endpoint (if lower than the real ones) or never try it, and so never measure it (if higher).
     */
    static boolean lessLoaded(Endpoint a, Endpoint b) {
        EndpointStats statsA = a.stats();
        EndpointStats statsB = b.stats();
        double latencyA = statsA.latencyEwmaNanos();
        double latencyB = statsB.latencyEwmaNanos();
        if (latencyA == 0.0 || latencyB == 0.0) {
            return statsA.inFlight() < statsB.inFlight();
        }
        return (statsA.inFlight() + 1) * latencyA < (statsB.inFlight() + 1) * latencyB;
    }

    /** Draws two distinct endpoints per pick. */
    static final class PowerOfTwoChoicesPicker extends BasePicker {
        PowerOfTwoChoicesPicker(List<Endpoint> endpoints) {
            super(endpoints);
        }

        @Override
        public Endpoint pick() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int n = endpoints.size();
            int first = random.nextInt(n);
            // Drawing from n-1 and skipping over the first gives a uniformly random distinct second.
            int second = random.nextInt(n - 1);
            if (second >= first) {
                second++;
            }
            Endpoint a = endpoints.get(first);
            Endpoint b = endpoints.get(second);
            // On a tie the first draw wins; it is itself uniform, so equal endpoints share evenly.
            return lessLoaded(b, a) ? b : a;
        }
    }
}
