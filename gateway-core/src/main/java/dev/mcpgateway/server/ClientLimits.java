package dev.mcpgateway.server;

/**
 * How much of the gateway's MCP server its clients may hold, so a flood is refused instead of eating the heap:
 * sessions in all and per client, requests in flight per session, messages per JSON-RPC batch. Beyond a limit the
 * request is refused with a JSON-RPC error naming it; each refusal is counted in {@link McpServer#rejections()}.
 * Tool calls through the whole gateway and per plugin instance are bounded separately, by
 * {@link dev.mcpgateway.CallLimits}.
 *
 * @param maxSessions          sessions held at once, every client together; one more {@code initialize} is refused
 *                             with {@code -32006} (overloaded; HTTP 503)
 * @param maxSessionsPerClient sessions one client holds at once (over HTTP a client is its address, until
 *                             authentication names principals); one more {@code initialize} is refused with
 *                             {@code -32006} (HTTP 429)
 * @param maxCallsPerSession   requests of one session in flight at once (every method, every era with sessions);
 *                             one more is answered {@code -32006} at once and not carried out
 * @param maxBatchSize         messages in one JSON-RPC batch (2025-03-26); a bigger batch is refused as a whole with
 *                             {@code -32600} (invalid request) and none of it is carried out
 */
public record ClientLimits(int maxSessions, int maxSessionsPerClient, int maxCallsPerSession, int maxBatchSize) {
    /**
     * The default total of sessions: 10,000. A session costs a few KiB when quiet, so this stays within tens of
     * MiB, and it leaves room for every client the default 8192 HTTP connections could serve.
     */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;
    /**
     * The default sessions per client: 100. An agent host opens one session per conversation or per configured
     * server, a few at a time; 100 leaves room for many users behind one address (NAT, a proxy) while one client
     * can take at most a hundredth of {@link #DEFAULT_MAX_SESSIONS}.
     */
    public static final int DEFAULT_MAX_SESSIONS_PER_CLIENT = 100;
    /**
     * The default requests in flight per session: 100. Agents run a handful of calls at once; 100 leaves room for
     * wide fan-out, while one session cannot turn a batch into thousands of upstream calls.
     */
    public static final int DEFAULT_MAX_CALLS_PER_SESSION = 100;
    /**
     * The default batch size: 100 messages, the same as {@link #DEFAULT_MAX_CALLS_PER_SESSION}: a bigger batch
     * could never run at once anyway.
     */
    public static final int DEFAULT_MAX_BATCH_SIZE = 100;

    /** Validates the limits. */
    public ClientLimits {
        requireAtLeastOne("maxSessions", maxSessions, DEFAULT_MAX_SESSIONS);
        requireAtLeastOne("maxSessionsPerClient", maxSessionsPerClient, DEFAULT_MAX_SESSIONS_PER_CLIENT);
        requireAtLeastOne("maxCallsPerSession", maxCallsPerSession, DEFAULT_MAX_CALLS_PER_SESSION);
        requireAtLeastOne("maxBatchSize", maxBatchSize, DEFAULT_MAX_BATCH_SIZE);
        if (maxSessionsPerClient > maxSessions) {
            throw new IllegalArgumentException("maxSessionsPerClient (" + maxSessionsPerClient + ") must not exceed "
                    + "maxSessions (" + maxSessions + "); lower it or raise maxSessions");
        }
    }

    /** The defaults: 10,000 sessions, 100 per client, 100 requests in flight per session, batches of 100. */
    public static ClientLimits defaults() {
        return new ClientLimits(DEFAULT_MAX_SESSIONS, DEFAULT_MAX_SESSIONS_PER_CLIENT, DEFAULT_MAX_CALLS_PER_SESSION,
                DEFAULT_MAX_BATCH_SIZE);
    }

    /** These limits with other numbers of sessions, in all and per client. */
    public ClientLimits withSessions(int total, int perClient) {
        return new ClientLimits(total, perClient, maxCallsPerSession, maxBatchSize);
    }

    /** These limits with another number of requests in flight per session. */
    public ClientLimits withMaxCallsPerSession(int calls) {
        return new ClientLimits(maxSessions, maxSessionsPerClient, calls, maxBatchSize);
    }

    /** These limits with another batch size. */
    public ClientLimits withMaxBatchSize(int messages) {
        return new ClientLimits(maxSessions, maxSessionsPerClient, maxCallsPerSession, messages);
    }

    private static void requireAtLeastOne(String name, int value, int defaultValue) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 (the default is " + defaultValue
                    + "), got " + value);
        }
    }
}
