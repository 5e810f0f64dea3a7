package dev.mcpgateway.transport.stdio;

import dev.mcpgateway.internal.logging.RateLimitedLog;
import dev.mcpgateway.internal.transport.stdio.LineSplitter;
import dev.mcpgateway.internal.transport.stdio.PluginEnvironment;
import dev.mcpgateway.internal.transport.stdio.ProcessTree;
import dev.mcpgateway.internal.transport.stdio.Waits;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcException;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.plugin.TransportSpec;
import dev.mcpgateway.transport.ChannelException;
import dev.mcpgateway.transport.UndeliveredException;
import dev.mcpgateway.transport.MessageChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MessageChannel} to a plugin process: one JSON-RPC message per line on its stdin and stdout, UTF-8.
 * Its stderr is logged line by line (logger {@code mcp.plugin.<name>}, level INFO, at most
 * 200 lines per 10 s, then a count of those left out) and never parsed. The process
 * sees only a few variables of the gateway's environment unless its spec inherits them all (see
 * {@link TransportSpec.Stdio}).
 *
 * <p>Two platform threads per process read stdout ({@code mcp-stdio-<name>-out}, which also runs the
 * {@link MessageChannel.Receiver}) and stderr ({@code mcp-stdio-<name>-err}). {@link #send} writes on the
 * caller's thread; when the plugin stops reading and its stdin pipe fills up, {@code send} blocks until the
 * plugin reads again or the channel is closed (closing stops the process, which fails the blocked write).
 *
 * <p>{@link #close()} follows the MCP shutdown order: close stdin, wait {@link StdioOptions#shutdownGrace()},
 * SIGTERM, wait {@link StdioOptions#killGrace()}, SIGKILL; processes the plugin started are stopped with it.
 */
public final class StdioChannel implements MessageChannel {
    private static final Logger log = LoggerFactory.getLogger(StdioChannel.class);
    private static final JsonRpcCodec CODEC = JsonRpcCodec.INSTANCE;
    // Stderr is free-form text for humans; a longer line is logged by its head only.
    private static final int STDERR_MAX_LINE_BYTES = 64 * 1024;
    // A writer holds the lock for microseconds unless the pipe is full; then closing stdin must not wait for it.
    private static final long STDIN_LOCK_WAIT_MILLIS = 100;
    // Once the process tree is gone the pipes report end of stream at once; this only bounds the odd case of
    // a process outside the tree holding them open.
    private static final Duration READER_JOIN = Duration.ofSeconds(2);
    // Lets the last stderr lines (often the reason of a crash) reach the log before the exit is reported.
    private static final Duration STDERR_DRAIN = Duration.ofMillis(500);

    private final TransportSpec.Stdio spec;
    private final String pluginName;
    private final StdioOptions options;
    private final RateLimitedLog stderrLines;
    private final Object lifecycle = new Object();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closedReported = new AtomicBoolean();

    // Written once by start() before `process` is published; read by the reader threads and senders after.
    private Receiver receiver;
    private OutputStream stdin;
    private Thread stdoutReader;
    private Thread stderrReader;
    private volatile Process process;
    private volatile boolean closing;
    // Why sends fail after the plugin ended by itself; null while it runs.
    private volatile String endReason;
    // Guarded by lifecycle; set by the first close() so later calls wait for it to finish.
    private CompletableFuture<Void> closeDone;

    /**
     * A channel that will launch the plugin described by {@code spec} when started.
     *
     * @param spec       the command, arguments, environment and working directory
     * @param pluginName names the plugin in thread names, logs and error messages
     * @param options    line limit and shutdown timings
     */
    public StdioChannel(TransportSpec.Stdio spec, String pluginName, StdioOptions options) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.pluginName = Objects.requireNonNull(pluginName, "pluginName");
        this.options = Objects.requireNonNull(options, "options");
        if (pluginName.isBlank()) {
            throw new IllegalArgumentException("pluginName must not be blank; it names the plugin in logs and errors");
        }
        this.stderrLines = RateLimitedLog.output(LoggerFactory.getLogger("mcp.plugin." + pluginName),
                "stderr of plugin '" + pluginName + "'");
    }

    /** A channel with {@link StdioOptions#defaults()}. */
    public StdioChannel(TransportSpec.Stdio spec, String pluginName) {
        this(spec, pluginName, StdioOptions.defaults());
    }

    /**
     * Launches the plugin process and starts reading its output.
     *
     * @throws ChannelException      when the process cannot be launched (command not found, not executable,
     *                               missing working directory, invalid environment variable)
     * @throws IllegalStateException when the channel was started or closed before
     */
    @Override
    public void start(Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        synchronized (lifecycle) {
            if (closing) {
                throw new IllegalStateException("the channel to plugin '" + pluginName
                        + "' is closed; create a new StdioChannel to launch the plugin again");
            }
            if (process != null) {
                throw new IllegalStateException("the channel to plugin '" + pluginName + "' is already started");
            }
            Process started = launch();
            this.receiver = receiver;
            this.stdin = started.getOutputStream();
            this.stdoutReader = readerThread("out", this::readStdout);
            this.stderrReader = readerThread("err", this::readStderr);
            this.process = started;
            stderrReader.start();
            stdoutReader.start();
            ExitGuard.watch(this);
        }
        log.debug("started {}: {}", describe(), spec.command());
    }

    /**
     * Writes the message as one line to the plugin's stdin. Blocks while the stdin pipe is full (see the class
     * description); concurrent calls are written one after the other, never interleaved.
     *
     * @return a completed future, or a failed one with a {@link ChannelException} when the channel is not
     *         started, closed, or the plugin is gone (broken pipe)
     */
    @Override
    public CompletableFuture<Void> send(JsonRpcMessage message) {
        Objects.requireNonNull(message, "message");
        byte[] line;
        try {
            line = CODEC.encode(message);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        writeLock.lock();
        try {
            String refusal = refusal();
            if (refusal != null) {
                return CompletableFuture.failedFuture(new UndeliveredException(refusal));
            }
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            String reason = endReason;
            // A write that fails means the process is gone: it cannot have read the whole line.
            return CompletableFuture.failedFuture(new UndeliveredException(reason != null ? reason
                    : "cannot write to plugin '" + pluginName + "' (pid " + process.pid() + "): " + e.getMessage(), e));
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Stops the plugin: closes its stdin, waits for it to exit, then sends SIGTERM and finally SIGKILL to it and
     * the processes it started. Returns within about {@code shutdownGrace + killGrace + 3 s}; a second call
     * waits for the first to finish.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done;
        synchronized (lifecycle) {
            closing = true;
            if (closeDone != null) {
                done = closeDone;
            } else {
                closeDone = new CompletableFuture<>();
                done = null;
                if (process == null) {
                    closeDone.complete(null);
                    return;
                }
            }
        }
        if (done != null) {
            // A receiver closing the channel from the reader thread must not wait for that same thread.
            if (!isReaderThread()) {
                done.join();
            }
            return;
        }
        try {
            shutDown(process);
        } finally {
            closeDone.complete(null);
        }
    }

    /** E.g. {@code stdio 'files' pid 4242}. */
    @Override
    public String describe() {
        Process running = process;
        return running == null ? "stdio '" + pluginName + "' (not started)"
                : "stdio '" + pluginName + "' pid " + running.pid();
    }

    /** The plugin process's id, or empty before {@link #start}. */
    public OptionalLong pid() {
        Process running = process;
        return running == null ? OptionalLong.empty() : OptionalLong.of(running.pid());
    }

    private Process launch() {
        List<String> command = new ArrayList<>(1 + spec.args().size());
        command.add(spec.command());
        command.addAll(spec.args());
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        if (!spec.inheritEnv()) {
            PluginEnvironment.keepDefaults(environment);
        }
        spec.env().forEach((name, value) -> {
            try {
                environment.put(name, value);
            } catch (IllegalArgumentException e) {
                // The JDK's message quotes the value, which may well be a credential: leave it out.
                throw new ChannelException("cannot start plugin '" + pluginName + "': environment variable '"
                        + name + "' has an invalid name or value (names cannot contain '=' or NUL, values "
                        + "cannot contain NUL)");
            }
        });
        Path directory = spec.workingDirectory();
        if (directory != null) {
            if (!Files.isDirectory(directory)) {
                throw new ChannelException("cannot start plugin '" + pluginName + "': its working directory "
                        + directory + " does not exist or is not a directory; create it or fix workingDirectory");
            }
            builder.directory(directory.toFile());
        }
        try {
            return builder.start();
        } catch (IOException e) {
            // The JDK wraps the system error ("error=2, No such file or directory") in a message of its own.
            String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            throw new ChannelException("cannot start plugin '" + pluginName + "': " + spec.command() + ": " + reason
                    + "; check that the command is installed and executable, or give its absolute path", e);
        }
    }

    private Thread readerThread(String stream, Runnable body) {
        // Platform threads: a pipe read blocks for the plugin's whole life, and a virtual thread blocked in
        // one would hold a carrier thread all that time.
        return Thread.ofPlatform()
                .name("mcp-stdio-" + pluginName + "-" + stream)
                .daemon(true)
                .unstarted(body);
    }

    private boolean isReaderThread() {
        Thread current = Thread.currentThread();
        return current == stdoutReader || current == stderrReader;
    }

    /** Why a message cannot be sent now, or null when it can. Called under the write lock. */
    private String refusal() {
        if (closing) {
            return "the channel to plugin '" + pluginName + "' is closed";
        }
        if (process == null) {
            return "the channel to plugin '" + pluginName + "' is not started; call start() first";
        }
        return endReason;
    }

    private void readStdout() {
        Process running = process;
        ChannelException failure = null;
        try (InputStream out = running.getInputStream()) {
            new LineSplitter(options.maxLineBytes()).pump(out, new StdoutSink());
        } catch (IOException e) {
            failure = new ChannelException("reading the stdout of plugin '" + pluginName + "' failed: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A bug, not the plugin's doing; the receiver must still learn that the channel is over.
            log.error("{}: the stdout reader failed", describe(), e);
            failure = new ChannelException("reading the stdout of plugin '" + pluginName + "' failed: " + e, e);
        }
        ChannelException cause = closing ? null : whyItEnded(running, failure);
        if (cause != null) {
            endReason = cause.getMessage();
            log.debug("{}: {}", describe(), cause.getMessage());
            closeStdin();
        }
        reportClosed(cause);
    }

    /**
     * Stops every running plugin's process tree when the JVM exits without closing its gateway (a desktop client
     * sending SIGTERM to a stdio-served gateway): plugins started through wrappers ({@code sh -c}, npx, uvx)
     * would otherwise outlive it.
     */
    private static final class ExitGuard {
        private static final Set<StdioChannel> RUNNING = ConcurrentHashMap.newKeySet();
        private static final AtomicBoolean HOOKED = new AtomicBoolean();
        private static final Duration TERM_GRACE_ON_EXIT = Duration.ofMillis(500);

        static void watch(StdioChannel channel) {
            RUNNING.add(channel);
            if (HOOKED.compareAndSet(false, true)) {
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("mcp-stdio-exit-guard")
                        .unstarted(ExitGuard::stopAll));
            }
        }

        static void forget(StdioChannel channel) {
            RUNNING.remove(channel);
        }

        private static void stopAll() {
            for (StdioChannel channel : RUNNING) {
                Process running = channel.process;
                if (running != null && running.isAlive()) {
                    ProcessTree.stop(running, running.descendants().toList(), Duration.ZERO, TERM_GRACE_ON_EXIT,
                            channel.describe(), "the gateway's JVM is exiting");
                }
            }
        }
    }

    /** After stdout ended without close(): the exit code, or why the process had to be stopped. */
    private ChannelException whyItEnded(Process running, ChannelException failure) {
        ExitGuard.forget(this);
        boolean exited = Waits.until(options.shutdownGrace(), () -> !running.isAlive());
        if (!exited && !closing) {
            // Without stdout the plugin is of no use; stop it rather than leave it running unseen.
            closeStdin();
            ProcessTree.stop(running, running.descendants().toList(), Duration.ZERO, options.killGrace(),
                    describe(), "the plugin closed its stdout but kept running");
        }
        Waits.until(STDERR_DRAIN, () -> !stderrReader.isAlive());
        if (closing) {
            return null;
        }
        if (failure != null) {
            return failure;
        }
        return exited ? new ChannelException("plugin '" + pluginName + "' exited with code " + running.exitValue())
                : new ChannelException("plugin '" + pluginName + "' closed its stdout but kept running; it was stopped");
    }

    private void readStderr() {
        try (InputStream err = process.getErrorStream()) {
            new LineSplitter(STDERR_MAX_LINE_BYTES).pump(err, new StderrSink());
        } catch (IOException e) {
            if (!closing) {
                log.debug("{}: reading stderr failed", describe(), e);
            }
        }
        stderrLines.flush();
    }

    private void shutDown(Process running) {
        ExitGuard.forget(this);
        // Taken while the plugin runs: once it exits, its children are orphaned and no longer its descendants.
        List<ProcessHandle> descendants = running.descendants().toList();
        closeStdin();
        ProcessTree.stop(running, descendants, options.shutdownGrace(), options.killGrace(), describe(),
                "the plugin did not exit within " + options.shutdownGrace().toMillis() + " ms of its stdin closing");
        if (!isReaderThread()) {
            Waits.until(READER_JOIN, () -> !stdoutReader.isAlive() && !stderrReader.isAlive());
            if (stdoutReader.isAlive() || stderrReader.isAlive()) {
                log.warn("{}: its output is still open after the plugin stopped; a process outside its process "
                        + "tree holds the pipe. The reader threads end when that process does", describe());
            }
        }
        reportClosed(null);
    }

    private void closeStdin() {
        boolean locked;
        try {
            locked = writeLock.tryLock(STDIN_LOCK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            locked = writeLock.tryLock();
        }
        if (!locked) {
            // A send is stuck on a full pipe; stopping the process will break it, and stdin with it.
            return;
        }
        try {
            stdin.close();
        } catch (IOException e) {
            log.debug("{}: closing stdin failed", describe(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private void reportClosed(ChannelException cause) {
        if (closedReported.compareAndSet(false, true)) {
            try {
                receiver.onClosed(cause);
            } catch (RuntimeException e) {
                log.warn("{}: the receiver failed on the end of the channel", describe(), e);
            }
        }
    }

    /** Decodes stdout lines and hands them to the receiver. Runs on the stdout thread only. */
    private final class StdoutSink implements LineSplitter.Sink {
        @Override
        public void line(byte[] bytes, int offset, int length) {
            if (LineSplitter.isBlank(bytes, offset, length) || closedReported.get()) {
                return;
            }
            JsonRpcMessage message;
            try {
                // In place: the splitter reuses the bytes after this call, but the message's strings and numbers
                // are built from copies of them (TreeReader), so nothing decoded refers to the buffer.
                message = CODEC.decode(bytes, offset, length);
            } catch (JsonRpcException e) {
                invalid("plugin '" + pluginName + "' wrote a non-JSON-RPC line to stdout: "
                        + LineSplitter.excerpt(bytes, offset, length) + " (" + e.getMessage() + ")");
                return;
            }
            try {
                receiver.onMessage(message);
            } catch (RuntimeException e) {
                // A failing receiver must not stop the reader: later messages (and the end) still matter.
                log.warn("{}: the receiver failed on a message", describe(), e);
            }
        }

        @Override
        public void oversized(long length, byte[] head, int headLength) {
            if (!closedReported.get()) {
                invalid("plugin '" + pluginName + "' wrote a line of " + length + " bytes to stdout, over the "
                        + "limit of " + options.maxLineBytes() + " bytes (StdioOptions.maxLineBytes); it was "
                        + "skipped: " + LineSplitter.excerpt(head, 0, headLength));
            }
        }

        private void invalid(String reason) {
            try {
                receiver.onInvalid(reason);
            } catch (RuntimeException e) {
                log.warn("{}: the receiver failed on an invalid line", describe(), e);
            }
        }
    }

    /** Logs stderr lines. Runs on the stderr thread only. */
    private final class StderrSink implements LineSplitter.Sink {
        @Override
        public void line(byte[] bytes, int offset, int length) {
            if (stderrLines.isEnabled() && !LineSplitter.isBlank(bytes, offset, length)) {
                stderrLines.log("{}", new String(bytes, offset, length, StandardCharsets.UTF_8));
            }
        }

        @Override
        public void oversized(long length, byte[] head, int headLength) {
            stderrLines.log("{} [a stderr line of {} bytes, cut]", LineSplitter.excerpt(head, 0, headLength), length);
        }
    }
}
