package dev.mcpgateway.examples.runner;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the directory of a configuration file and calls back once changes in it have settled. It watches the
 * directory, not the file, because editors and config-map mounts replace a file (write a new one, rename it over the
 * old, or swap a symlink) rather than write into it, and a watch on the old file would see none of that. Every change
 * in the directory counts, debounced, so the callback must itself skip content that did not change.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final WatchService watch;
    private final Duration debounce;
    private final Runnable onChange;
    private final Thread thread;

    private ConfigWatcher(WatchService watch, Duration debounce, Runnable onChange) {
        this.watch = watch;
        this.debounce = debounce;
        this.onChange = onChange;
        this.thread = Thread.ofPlatform().name("mcp-gateway-config-watch").daemon(true).unstarted(this::run);
    }

    /**
     * Starts watching {@code file}'s directory; changes made from now on are seen.
     *
     * @param debounce how long the directory must stay quiet before {@code onChange} runs, so that one save (often
     *                 several events) is one call
     * @throws IOException when the directory cannot be watched
     */
    static ConfigWatcher watch(Path file, Duration debounce, Runnable onChange) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        WatchService watch = FileSystems.getDefault().newWatchService();
        try {
            directory.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | RuntimeException e) {
            watch.close();
            throw e;
        }
        ConfigWatcher watcher = new ConfigWatcher(watch, debounce, onChange);
        watcher.thread.start();
        return watcher;
    }

    private void run() {
        try {
            while (true) {
                if (!settle(watch.take())) {
                    return;
                }
                WatchKey more;
                while ((more = watch.poll(debounce.toNanos(), TimeUnit.NANOSECONDS)) != null) {
                    if (!settle(more)) {
                        return;
                    }
                }
                try {
                    onChange.run();
                } catch (RuntimeException e) {
                    // A failed reload must not end the watch: the next edit may fix it.
                    log.error("config reload failed: {}", PluginStarter.rootMessage(e));
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // Closed: the runner is stopping.
        }
    }

    /** Consumes a key's events; false when the directory is gone and there is nothing left to watch. */
    private boolean settle(WatchKey key) {
        key.pollEvents();
        if (!key.reset()) {
            log.warn("the configuration's directory {} is gone; config changes are no longer watched (SIGHUP still "
                    + "reloads)", key.watchable());
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (IOException e) {
            log.warn("closing the config watch failed: {}", e.toString());
        }
    }
}
