package dev.mcpgateway.examples.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running gateway in step with its configuration file: on a change seen by the {@link ConfigWatcher}, or on
 * request (SIGHUP), it reads and validates the whole file and hands a valid one to the {@link ConfigReloader}. An
 * invalid file is one ERROR line with the loader's line-precise message, and the running configuration stays.
 * Reloads run one at a time on their own thread; requests made while one runs are gathered into one more after it.
 */
final class LiveReload implements AutoCloseable {
    /** How long the directory must stay quiet after a change: an editor's save is often several events. */
    static final Duration DEBOUNCE = Duration.ofMillis(200);
    private static final Logger log = LoggerFactory.getLogger(LiveReload.class);

    private final Path file;
    private final Map<String, String> env;
    private final ConfigReloader reloader;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("mcp-gateway-config-reload").daemon(true).factory());
    /** The text last read, applied or rejected: a change event that leaves it the same is not a change. */
    private String lastText;
    /** The reload requested but not begun, which later requests join; null when none waits. */
    private CompletableFuture<Void> queued;
    /** Whether the queued reload must read the file even if its text looks unchanged: SIGHUP asked for it. */
    private boolean queuedForce;
    /** Set by watch() on the starting thread, read by close() on another. */
    private volatile ConfigWatcher watcher;

    /**
     * @param text the file's text the running configuration was read from
     */
    LiveReload(Path file, String text, Map<String, String> env, ConfigReloader reloader) {
        this.file = file;
        this.lastText = text;
        this.env = Map.copyOf(env);
        this.reloader = reloader;
    }

    /**
     * Starts watching the file, then looks at it once: an edit made while the plugins were starting, before the
     * watch began, is applied too.
     */
    void watch() {
        try {
            watcher = ConfigWatcher.watch(file, DEBOUNCE, this::fileChanged);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot watch {} for changes ({}); send SIGHUP to reload it", file, PluginStarter.rootMessage(e));
        }
        fileChanged();
    }

    /**
     * Asks for a reload of the file whether or not its text changed (SIGHUP).
     *
     * @return completes once a reload begun after this request has finished, applied or rejected
     */
    CompletableFuture<Void> request() {
        return enqueue(true);
    }

    private void fileChanged() {
        enqueue(false);
    }

    private synchronized CompletableFuture<Void> enqueue(boolean force) {
        queuedForce |= force;
        if (queued != null) {
            return queued;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        queued = mine;
        try {
            worker.execute(() -> {
                boolean forced;
                synchronized (this) {
                    queued = null;
                    forced = queuedForce;
                    queuedForce = false;
                }
                try {
                    reloadNow(forced);
                } finally {
                    mine.complete(null);
                }
            });
        } catch (RuntimeException e) {
            // Rejected: the runner is closing.
            queued = null;
            mine.complete(null);
        }
        return mine;
    }

    /** Reads, validates and applies the file; never throws, every outcome is logged in one line. */
    private void reloadNow(boolean force) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            // Mid-replace by an editor, or removed: the next change event or SIGHUP tries again.
            log.error("config reload of {} failed, running configuration kept: cannot read it ({})", file,
                    PluginStarter.rootMessage(e));
            return;
        }
        if (text.isBlank()) {
            // Most likely caught between an in-place save's truncation and its write, whose event reloads again.
            log.warn("config reload of {} skipped, running configuration kept: the file is empty (if it is being "
                    + "written, its next change reloads it)", file.getFileName());
            return;
        }
        if (!force && text.equals(lastText)) {
            return;
        }
        lastText = text;
        RunnerConfig next;
        try {
            next = ConfigLoader.parseWithOverrides(file.getFileName().toString(), text, env);
        } catch (ConfigException e) {
            log.error("config reload rejected, running configuration kept: {}", e.getMessage());
            return;
        }
        try {
            reloader.apply(next);
        } catch (RuntimeException e) {
            log.error("config reload failed part way: {}", PluginStarter.rootMessage(e));
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        worker.shutdownNow();
    }
}
