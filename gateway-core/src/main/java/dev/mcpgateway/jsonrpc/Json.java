package dev.mcpgateway.jsonrpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The gateway's one shared Jackson configuration. Numbers keep their exact value (big integers and
 * decimals are not rounded through {@code double}), trailing tokens are rejected, and input is bounded
 * by nesting depth and size so hostile messages fail fast with a parse error.
 */
public final class Json {
    /** Deepest nesting of arrays/objects accepted in one message. */
    public static final int MAX_NESTING_DEPTH = 512;
    /** Longest number literal accepted, in characters. */
    public static final int MAX_NUMBER_LENGTH = 1000;

    /**
     * Jackson's default recycles its buffers per thread; messages are handled on short-lived virtual threads, so that
     * pool never reused anything (~28% of the gateway's allocation under load). The bounded pool keeps them in an
     * array: a deque's pool allocated a node for every buffer given back. The codec's own reader and writer take their
     * buffers from it too ({@link #recycler()}).
     */
    private static final RecyclerPool<BufferRecycler> RECYCLERS = JsonRecyclerPools.sharedBoundedPool();

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(RECYCLERS)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .build())
                    .build())
            .nodeFactory(new SmallObjects())
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private Json() {
    }

    /** The shared, thread-safe mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The node factory behind {@link #mapper()}. */
    public static JsonNodeFactory nodes() {
        return MAPPER.getNodeFactory();
    }

    /**
     * A set of pooled buffers, for the codec's own reader and writer: give it back with
     * {@link BufferRecycler#releaseToPool()} once its buffers are released to it.
     */
    static BufferRecycler recycler() {
        return RECYCLERS.acquireAndLinkPooled();
    }

    /** A new empty object node. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * Makes object nodes whose members live in a {@link MemberMap}, where Jackson's use a {@code LinkedHashMap} of
     * sixteen buckets: most objects in MCP messages (the envelope's params, {@code _meta}, arguments, a content item)
     * have a handful of members, and their maps were a tenth of what a call through the gateway allocated.
     */
    private static final class SmallObjects extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public ObjectNode objectNode() {
            return new ObjectNode(this, new MemberMap());
        }
    }
}
