package dev.mcpgateway.inprocess;

/** What an in-process {@link ToolHandler} can do besides returning a result: report progress, notice cancellation. */
public interface ToolContext {
    /** The tool's own (not exposed) name. */
    String toolName();

    /**
     * Reports progress to the caller, if it asked for progress.
     *
     * @param progress how far along, increasing with each report
     * @param total    the value {@code progress} reaches when done, or null if unknown
     * @param message  a human-readable status, or null
     */
    void progress(double progress, Double total, String message);

    /** Whether the call's timeout has passed or it was cancelled; long-running handlers should check and stop. */
    boolean isCancelled();
}
