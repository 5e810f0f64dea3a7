package dev.mcpgateway.benchmarks;

/** Placeholder entry point; replaced by the suite runner. */
public final class BenchmarkSuite {
    private BenchmarkSuite() {
    }

    /**
     * Runs the suite.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
    }
}
