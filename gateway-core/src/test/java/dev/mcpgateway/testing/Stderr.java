package dev.mcpgateway.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** What the gateway logs while a test acts: slf4j-simple writes each line to whatever System.err is at the time. */
public final class Stderr {
    /** The frames (and "... n more") of a stack trace, each on its line. */
    private static final Pattern FRAMES = Pattern.compile("(?m)(^\\s+(at \\S+\\(.*\\)|\\.\\.\\. \\d+ more)\\R)+");

    /** Something a test does that may throw. */
    public interface Action {
        void run() throws Exception;
    }

    private Stderr() {
    }

    /**
     * Runs {@code action} and returns what was written to stderr meanwhile. It is passed on to show in the build too,
     * each stack trace folded to its first line: one the test expects is no news there (see {@link StackTraceGuard}).
     */
    public static String of(Action action) throws Exception {
        return until(log -> true, action);
    }

    /**
     * Like {@link #of}, and then goes on capturing until what was written satisfies {@code logged} (for up to
     * 10 s): for what another thread logs after {@code action} is done.
     */
    public static String until(Predicate<String> logged, Action action) throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
            Await.until("the log expected", Duration.ofSeconds(10),
                    () -> logged.test(captured.toString(StandardCharsets.UTF_8)));
        } finally {
            System.setErr(stderr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        stderr.print(FRAMES.matcher(log).replaceAll("\t(stack trace captured by the test)" + System.lineSeparator()));
        return log;
    }

    public static void assertNoStackTrace(String log) {
        assertFalse(log.lines().anyMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by")),
                "no stack trace: " + log);
    }
}
