package dev.mcpgateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

/**
 * Sends POSIX signals to processes a test started, for what {@link ProcessHandle} cannot do: {@code STOP} freezes a
 * plugin (the kernel still accepts its connections and buffers its input, nothing answers) and {@code CONT} thaws it.
 */
public final class Signals {
    private Signals() {
    }

    /** Runs {@code kill -<signal> <pid>} and fails the test unless it succeeded. */
    public static void send(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }
}
