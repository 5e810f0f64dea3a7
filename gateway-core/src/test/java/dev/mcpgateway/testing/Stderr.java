package dev.mcpgateway.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What the gateway logs while a test acts: slf4j-simple writes each line to whatever System.err is at the time. */
public final class Stderr {
    /** Something a test does that may throw. */
    public interface Action {
        void run() throws Exception;
    }

    private Stderr() {
    }

    /** Runs {@code action} and returns what was written to stderr meanwhile (also passed on, to show in the build). */
    public static String of(Action action) throws Exception {
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(stderr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        stderr.print(log);
        return log;
    }

    public static void assertNoStackTrace(String log) {
        assertFalse(log.lines().anyMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by")),
                "no stack trace: " + log);
    }
}
