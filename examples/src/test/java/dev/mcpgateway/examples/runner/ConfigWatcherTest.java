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
        assertALinkSwapIsSeen("..data", "..2026_12_01", "..2026_12_02");
    }

    @Test
    void aLinkToTheCurrentReleaseSwappedBesideTheFileIsAChange() throws IOException {
        // config.yaml -> current/config.yaml, and a deploy swaps current for the next release's folder.
        assertALinkSwapIsSeen("current", "release-1", "release-2");
    }

    /** config.yaml -> link/config.yaml, link -> oldFolder; then link is swapped (renamed over) for newFolder. */
    private void assertALinkSwapIsSeen(String link, String oldFolder, String newFolder) throws IOException {
        Files.createDirectory(dir.resolve(oldFolder));
        write(oldFolder + "/config.yaml", "old");
        Files.createSymbolicLink(dir.resolve(link), Path.of(oldFolder));
        watch(Files.createSymbolicLink(dir.resolve("config.yaml"), Path.of(link, "config.yaml")));

        Files.createDirectory(dir.resolve(newFolder));
        write(newFolder + "/config.yaml", "new");
        Files.createSymbolicLink(dir.resolve(link + "_next"), Path.of(newFolder));
        Files.move(dir.resolve(link + "_next"), dir.resolve(link), StandardCopyOption.ATOMIC_MOVE);

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
