package dev.mcpgateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test (or test class) during which a stack trace reached stderr without being captured by
 * {@link Stderr#of}: a passing build prints only what a test expects, so a new stack trace in its output means
 * something went wrong, and is not lost among expected ones. An expected failure is captured and asserted on; an
 * expected condition is logged by the product on one line, without its exception.
 *
 * <p>Every test of every module runs with it: this test-jar registers it through META-INF/services, and its
 * junit-platform.properties turns on the auto-detection of such extensions. It watches the JVM's System.err, where
 * slf4j-simple logs in tests and uncaught exceptions are printed, so that the failure names the test (a stack trace
 * that a background thread prints after its test ended fails the next check, whichever test that ends). A child
 * process that inherits the JVM's stderr writes past it.
 */
public final class StackTraceGuard implements AfterEachCallback, AfterAllCallback {
    private static final Watch WATCH = Watch.install();

    @Override
    public void afterEach(ExtensionContext context) {
        check(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check(context);
    }

    private static void check(ExtensionContext context) {
        List<String> stray = WATCH.drain();
        if (!stray.isEmpty()) {
            throw new AssertionError("A stack trace reached stderr while or before " + context.getDisplayName()
                    + " ran, not captured by the test (capture an expected one with Stderr.of and assert on it; log "
                    + "an expected condition on one line, without its exception):\n" + String.join("\n", stray));
        }
    }

    /** System.err, passed on unchanged, with the stack traces written to it noted line by line. */
    private static final class Watch extends OutputStream {
        private static final Pattern FRAME = Pattern.compile("\\s+at \\S+\\(.*\\)\\s*");
        private static final int KEPT = 40;

        private final PrintStream target;
        private final Charset charset;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final List<String> stray = new ArrayList<>();
        private String previous = "";

        private Watch(PrintStream target) {
            this.target = target;
            this.charset = target.charset();
        }

        static Watch install() {
            Watch watch = new Watch(System.err);
            System.setErr(new PrintStream(watch, true, watch.charset));
            return watch;
        }

        @Override
        public synchronized void write(int b) {
            target.write(b);
            note(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            target.write(bytes, offset, length);
            note(bytes, offset, length);
        }

        @Override
        public void flush() {
            target.flush();
        }

        private void note(byte[] bytes, int offset, int length) {
            int start = offset;
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == '\n') {
                    line.write(bytes, start, i - start);
                    endLine();
                    start = i + 1;
                }
            }
            line.write(bytes, start, offset + length - start);
        }

        private void endLine() {
            String text = line.toString(charset);
            line.reset();
            if (FRAME.matcher(text).matches()) {
                if (!previous.isEmpty()) {
                    keep(previous);
                }
                keep(text);
                previous = "";
            } else {
                previous = text;
            }
        }

        private void keep(String text) {
            if (stray.size() < KEPT) {
                stray.add(text);
            } else if (stray.size() == KEPT) {
                stray.add("\t...");
            }
        }

        synchronized List<String> drain() {
            List<String> lines = List.copyOf(stray);
            stray.clear();
            return lines;
        }

        @Override
        public void close() throws IOException {
            target.flush();
        }
    }
}
