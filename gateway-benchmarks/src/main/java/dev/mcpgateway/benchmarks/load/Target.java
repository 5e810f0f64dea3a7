package dev.mcpgateway.benchmarks.load;

/** One end of a load run: what each load client connects to and calls the echo tool through. */
interface Target extends AutoCloseable {
    /** A short description for the report, e.g. {@code HTTP → gateway → HTTP plugin}. */
    String describe();

    /** Opens what one load client calls through (its own connection, where there are connections). */
    Caller open(int client) throws Exception;

    /** Releases what the target holds; the default holds nothing. */
    @Override
    default void close() throws Exception {
    }

    /** One load client's way to call the tool once. */
    interface Caller extends AutoCloseable {
        /**
         * Calls the tool once and waits for the answer.
         *
         * @return true for a result, false for an error answer (a JSON-RPC error or a result with {@code isError})
         * @throws Exception if the call could not be made at all (the caller is then reopened)
         */
        boolean call() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }
}
