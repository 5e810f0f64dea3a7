package dev.mcpgateway.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class WarmupTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void endsAfterTheMinimumAtTheFirstSecondTheCompilerIsQuiet() {
        // Compiling 400 ms a second until second 13, then 10 ms a second.
        FakeJvm jvm = new FakeJvm(second -> second <= 13 ? 400 * second : 400 * 13 + 10 * (second - 13));

        long end = jvm.warmup().awaitEnd(10 * SECOND, 60 * SECOND);

        assertEquals(14 * SECOND, end, "the second from 13 to 14 s is the first quiet one");
    }

    @Test
    void endsAtTheMinimumWhenTheCompilerIsQuietAlready() {
        FakeJvm jvm = new FakeJvm(second -> 5 * second);

        assertEquals(11 * SECOND, jvm.warmup().awaitEnd(10 * SECOND, 60 * SECOND),
                "one second is watched after the minimum");
    }

    @Test
    void endsAtTheLimitWhileTheCompilerStaysBusy() {
        FakeJvm jvm = new FakeJvm(second -> 300 * second);

        assertEquals(60 * SECOND, jvm.warmup().awaitEnd(10 * SECOND, 60 * SECOND));
    }

    @Test
    void aLimitNoLongerThanTheMinimumIsAFixedWarmup() {
        FakeJvm jvm = new FakeJvm(second -> 300 * second);

        assertEquals(10 * SECOND, jvm.warmup().awaitEnd(10 * SECOND, 10 * SECOND));
        assertEquals(10 * SECOND, jvm.warmup().awaitEnd(10 * SECOND, 3 * SECOND));
    }

    @Test
    void aJvmThatReportsNoCompilationTimeIsQuiet() {
        FakeJvm jvm = new FakeJvm(second -> 0);

        assertEquals(SECOND, jvm.warmup().awaitEnd(0, 60 * SECOND));
    }

    /** A clock that moves only when slept on, and a JIT whose total compilation time is a function of the time. */
    private static final class FakeJvm {
        private final LongUnaryOperator compiledMillisAtSecond;
        private long now;

        FakeJvm(LongUnaryOperator compiledMillisAtSecond) {
            this.compiledMillisAtSecond = compiledMillisAtSecond;
        }

        Warmup warmup() {
            now = 0;
            return new Warmup(() -> compiledMillisAtSecond.applyAsLong(now / SECOND), () -> now,
                    deadline -> now = Math.max(now, deadline));
        }
    }
}
