package dev.mcpgateway.examples;

import java.util.ArrayList;
import java.util.List;

/** Runs a test's clean-ups in order, each even if an earlier one failed, so that nothing is left running. */
final class Closing {
    private Closing() {
    }

    /** Closes every non-null resource in order; rethrows the first failure with the others suppressed. */
    static void all(AutoCloseable... resources) {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("closing failed", failures.getFirst());
            failures.subList(1, failures.size()).forEach(failure::addSuppressed);
            throw failure;
        }
    }
}
