package dev.mcpgateway.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mcpgateway.testing.MemoryRegistryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reconciliations on a store's word: at once, never overlapping, bursts coalesced. */
class StoreFollowerTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<CompletableFuture<Void>> passes = new ArrayList<>();
    private MemoryRegistryStore store;

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private StoreFollower follower() {
        store = new MemoryRegistryStore();
        return StoreFollower.start(store, scheduler, Duration.ofHours(1), () -> {
            CompletableFuture<Void> pass = new CompletableFuture<>();
            synchronized (passes) {
                passes.add(pass);
            }
            return pass;
        });
    }

    @Test
    void theStoreGetsAPokeThatRunsAPassAtOnce() {
        follower();
        store.changedElsewhere();
        assertEquals(1, passes.size());
    }

    @Test
    void pokesWhileAPassRunsMakeExactlyOnePassMore() {
        follower();
        store.changedElsewhere();
        store.changedElsewhere();
        store.changedElsewhere();
        store.changedElsewhere();
        assertEquals(1, passes.size(), "passes never overlap");

        passes.get(0).complete(null);
        assertEquals(2, passes.size(), "the pokes during the first pass coalesce into one");

        passes.get(1).completeExceptionally(new IllegalStateException("store unreadable"));
        assertEquals(2, passes.size(), "nothing pending: idle");

        store.changedElsewhere();
        assertEquals(3, passes.size(), "a failed pass does not stop later ones");
    }
}
