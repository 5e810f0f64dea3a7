package dev.mcpgateway.examples.runner;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the directory of a configuration file and calls back once changes to it have settled. It watches the
 * directory, not the file, because editors and config-map mounts replace a file (write a new one, rename it over the
 * old, or swap a symlink) rather than write into it, and a watch on the old file would see none of that. Of the
 * directory's changes only those that can change the file count: its own name; the entry of the directory its
 * symlink leads through, if it is one ({@code current} for {@code config.yaml -> current/config.yaml}, swapped by
 * {@code ln -sfn}); the {@code ..}-named entries a Kubernetes config map swaps ({@code ..data} and its dated
 * directories); and lost events. Anything else there (a log written on every request, say) neither calls back nor
 * holds back the debounce: it kept a reload waiting as long as the other file was written more often than the
 * debounce. The callback must itself skip content that did not change.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final WatchService watch;
    /** The configuration file, as given. */
    private final Path file;
    /** Its name in its directory. */
    private final Path name;
    private final Duration debounce;
    private final Runnable onChange;
    private final Thread thread;

    private ConfigWatcher(WatchService watch, Path file, Duration debounce, Runnable onChange) {
        this.watch = watch;
        this.file = file;
        this.name = file.getFileName();
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
        ConfigWatcher watcher = new ConfigWatcher(watch, file, debounce, onChange);
        watcher.thread.start();
        return watcher;
    }

    private void run() {
        try {
            while (true) {
                Seen seen = settle(watch.take());
                if (seen == Seen.GONE) {
                    return;
                }
                if (seen == Seen.OTHER) {
                    continue;
                }
                long quietAt = System.nanoTime() + debounce.toNanos();
                long left;
                while ((left = quietAt - System.nanoTime()) > 0) {
                    WatchKey more = watch.poll(left, TimeUnit.NANOSECONDS);
                    seen = more == null ? Seen.OTHER : settle(more);
                    if (seen == Seen.GONE) {
                        return;
                    }
                    if (seen == Seen.CHANGE) {
                        quietAt = System.nanoTime() + debounce.toNanos();
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

    /** What a key's events were. */
    private enum Seen {
        /** A change that may be the configuration's. */
        CHANGE,
        /** Changes to other files only. */
        OTHER,
        /** The directory is gone: nothing is left to watch. */
        GONE
    }

    /** Consumes a key's events and tells whether one may have changed the configuration. */
    private Seen settle(WatchKey key) {
        boolean change = false;
        Path linked = linkedEntry(); // read for each batch: the link itself may have just been replaced
        for (WatchEvent<?> event : key.pollEvents()) {
            change |= mayChangeTheFile(event, linked);
        }
        if (!key.reset()) {
            log.warn("the configuration's directory {} is gone; config changes are no longer watched (SIGHUP still "
                    + "reloads)", key.watchable());
            return Seen.GONE;
        }
        return change ? Seen.CHANGE : Seen.OTHER;
    }

    private boolean mayChangeTheFile(WatchEvent<?> event, Path linked) {
        if (!(event.context() instanceof Path changed)) {
            return true; // OVERFLOW: events were lost, so the file's may be among them
        }
        return changed.equals(name) || changed.equals(linked) || changed.toString().startsWith("..");
    }

    /** The entry of the directory the file's symlink leads through, or null when it is no symlink to one. */
    private Path linkedEntry() {
        try {
            Path target = Files.readSymbolicLink(file);
            Path directory = file.toAbsolutePath().getParent();
            if (target.isAbsolute()) {
                target = target.startsWith(directory) ? directory.relativize(target) : null;
            }
            return target == null || target.getNameCount() == 0 ? null : target.getName(0);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null; // not a symlink (the usual case), or one that cannot be read: its own name is watched
        }
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
