package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mcpgateway.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
    private static final Duration DEBOUNCE = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService neighbour = Executors.newSingleThreadScheduledExecutor();
    private ConfigWatcher watcher;

    @AfterEach
    void tearDown() {
        neighbour.shutdownNow();
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void aFileWrittenBesideTheConfigurationMoreOftenThanTheDebounceDoesNotHoldItsChangeBack() throws IOException {
        Path config = write("config.yaml", "old");
        watch(config);
        Path log = write("upstream.log", "");
        neighbour.scheduleAtFixedRate(() -> append(log), 0, DEBOUNCE.toMillis() / 5, TimeUnit.MILLISECONDS);
        Await.until("the log is being written", WAIT, () -> size(log) > 3);

        write("config.yaml", "new");

        Await.until("the change is seen while the log is still written", WAIT, () -> seen.contains("new"));
        assertFalse(seen.contains("old"), "the log's own writes never called back: " + seen);
    }

    @Test
    void anEditorsRenameOverTheFileIsOneChange() throws IOException {
        Path config = write("config.yaml", "old");
        watch(config);

        Path saved = write(".config.yaml.swp", "new");
        Files.move(saved, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        Await.until("the renamed file is seen", WAIT, () -> seen.contains("new"));
        assertFalse(seen.contains("old"), "the editor's own file never called back: " + seen);
    }

    @Test
    void aKubernetesConfigMapSwappingItsDataLinkIsAChange() throws IOException {
        // The layout a config map's atomic writer keeps: config.yaml -> ..data/config.yaml, ..data -> a dated folder.
        Files.createDirectory(dir.resolve("..2026_12_01"));
        write("..2026_12_01/config.yaml", "old");
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("..2026_12_01"));
        Path config = Files.createSymbolicLink(dir.resolve("config.yaml"), Path.of("..data", "config.yaml"));
        watch(config);

        Files.createDirectory(dir.resolve("..2026_12_02"));
        write("..2026_12_02/config.yaml", "new");
        Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..2026_12_02"));
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

        Await.until("the swapped link is seen", WAIT, () -> seen.contains("new"));
    }

    @Test
    void aLinkToTheCurrentReleaseSwappedBesideTheFileIsAChange() throws IOException {
        // config.yaml -> current/config.yaml, and a deploy swaps current for the next release's folder (ln -sfn).
        Files.createDirectory(dir.resolve("release-1"));
        write("release-1/config.yaml", "old");
        Files.createSymbolicLink(dir.resolve("current"), Path.of("release-1"));
        Path config = Files.createSymbolicLink(dir.resolve("config.yaml"), Path.of("current", "config.yaml"));
        watch(config);

        Files.createDirectory(dir.resolve("release-2"));
        write("release-2/config.yaml", "new");
        Files.createSymbolicLink(dir.resolve("next"), Path.of("release-2"));
        Files.move(dir.resolve("next"), dir.resolve("current"), StandardCopyOption.ATOMIC_MOVE);

        Await.until("the swapped link is seen", WAIT, () -> seen.contains("new"));
    }

    private void watch(Path config) throws IOException {
        watcher = ConfigWatcher.watch(config, DEBOUNCE, () -> seen.add(read(config)));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void append(Path file) {
        try {
            Files.writeString(file, "a request\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
