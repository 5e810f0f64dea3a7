package dev.mcpgateway.internal.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.jsonrpc.JsonRpcCodec;
import dev.mcpgateway.jsonrpc.JsonRpcMessage;
import dev.mcpgateway.server.SessionStore;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's side of a {@link SessionStore} shared with other gateways: writes the sessions it initializes and
 * changes, reads those begun elsewhere, and carries between gateways the messages that must reach the process holding
 * something of a session. Messages are JSON objects {@code {from, kind, session, ...}}:
 * <ul>
 *   <li>{@code changed} (with {@code data}, the session's record): its log level or subscriptions changed;</li>
 *   <li>{@code ended}: the client ended it;</li>
 *   <li>{@code deliver} (with {@code message}): for the client's stream, held by whichever gateway has it open;</li>
 *   <li>{@code client} (with {@code message}): a client's answer or cancellation the gateway that received it could
 *       not place, for whichever gateway asked the question or runs the call;</li>
 *   <li>{@code resume}, {@code accepted}, {@code resumed} (with {@code to}, the one gateway meant, and {@code corr}):
 *       a 2026-07-28 retry for the gateway holding its suspended call, its receipt, and its answer
 *       ({@link RemoteRetries}).</li>
 * </ul>
 * A store that fails is logged once, and once more when it answers again; the session then goes on where it is.
 */
final class SharedSessions {
    private static final Logger log = LoggerFactory.getLogger(SharedSessions.class);

    private final SessionStore store;
    private final boolean enabled;
    /** Tells this gateway's messages and question ids from others'; new in every process. */
    private final String gatewayTag = UUID.randomUUID().toString().substring(0, 8);
    private final Duration keepFor;
    private final AtomicBoolean reachable = new AtomicBoolean(true);

    /**
     * @param keepFor how long the store keeps a session nobody touched: the idle timeout, plus the interval at which
     *                gateways touch the sessions their clients used (a session used just after a touch is touched
     *                only at the next one)
     */
    SharedSessions(SessionStore store, Duration keepFor) {
        this.store = store;
        this.enabled = store != SessionStore.none();
        this.keepFor = keepFor;
    }

    /** Whether sessions are shared with other gateways at all. */
    boolean enabled() {
        return enabled;
    }

    String gatewayTag() {
        return gatewayTag;
    }

    /** Starts hearing the other gateways; {@code receiver} gets each of their messages, parsed. */
    void listen(Consumer<Message> receiver) {
        if (enabled) {
            store.onMessage(text -> {
                Message message = Message.parse(text);
                if (message != null && !gatewayTag.equals(message.from())
                        && (message.to() == null || gatewayTag.equals(message.to()))) {
                    receiver.accept(message);
                }
            });
        }
    }

    /** Writes a session's record; tells the other gateways holding it when {@code announce}. */
    void save(SessionRecord record, boolean announce) {
        if (!enabled) {
            return;
        }
        String data = record.toJson();
        try {
            store.put(record.id(), data, keepFor);
            up();
        } catch (RuntimeException e) {
            down("write session " + record.id(), e);
        }
        if (announce) {
            send("changed", record.id(), null, null, record, null);
        }
    }

    /** The record of a session begun elsewhere, if the store has it and this gateway can read it. */
    Optional<SessionRecord> load(String id) {
        if (!enabled) {
            return Optional.empty();
        }
        Optional<String> data;
        try {
            data = store.get(id);
            up();
        } catch (RuntimeException e) {
            down("read session " + id, e);
            return Optional.empty();
        }
        try {
            return data.map(SessionRecord::parse);
        } catch (IllegalArgumentException e) {
            log.warn("The shared record of client session {} cannot be read ({}); the session is served only where it"
                    + " began", id, e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether the store still keeps a session (true when it cannot tell: a session is not dropped for an outage). */
    boolean kept(String id) {
        try {
            boolean kept = store.get(id).isPresent();
            up();
            return kept;
        } catch (RuntimeException e) {
            down("read session " + id, e);
            return true;
        }
    }

    /** Forgets a session the client ended, and tells the other gateways to let go of it. */
    void ended(String id) {
        if (!enabled) {
            return;
        }
        try {
            store.remove(id);
            up();
        } catch (RuntimeException e) {
            down("forget session " + id, e);
        }
        send("ended", id, null, null, null, null);
    }

    /** Keeps the sessions clients used lately for another idle timeout. */
    void touch(Collection<String> ids) {
        if (!enabled || ids.isEmpty()) {
            return;
        }
        try {
            store.touch(ids, keepFor);
            up();
        } catch (RuntimeException e) {
            down("renew " + ids.size() + " session(s)", e);
        }
    }

    /** Hands a message of a session to the other gateways: {@code deliver} or {@code client}. */
    void forward(String kind, String sessionId, JsonRpcMessage payload) {
        send(kind, sessionId, null, null, null, payload);
    }

    /**
     * Sends a message to the other gateways, or to one.
     *
     * @param to   the one gateway meant, or null for all
     * @param corr what ties a reply to its request, or null
     */
    void send(String kind, String sessionId, String to, String corr, SessionRecord data, JsonRpcMessage payload) {
        ObjectNode message = Json.object();
        message.put("from", gatewayTag);
        message.put("kind", kind);
        message.put("session", sessionId);
        if (to != null) {
            message.put("to", to);
            message.put("corr", corr);
        }
        if (data != null) {
            message.put("data", data.toJson());
        }
        if (payload != null) {
            message.put("message", JsonRpcCodec.INSTANCE.encodeToString(payload));
        }
        store.publish(message.toString());
    }

    private void down(String what, RuntimeException e) {
        if (reachable.compareAndSet(true, false)) {
            log.warn("The shared session store failed to {} ({}); sessions go on on the gateway that holds them, and"
                    + " new ones are served only where they begin until it is back", what, e.getMessage());
        }
    }

    private void up() {
        if (reachable.compareAndSet(false, true)) {
            log.info("The shared session store answers again");
        }
    }

    /**
     * A message from another gateway.
     *
     * @param from    the sending gateway's tag
     * @param to      the one gateway meant, or null for all
     * @param corr    what ties a reply to its request, or null
     * @param kind    {@code changed}, {@code ended}, {@code deliver}, {@code client}, {@code resume},
     *                {@code accepted} or {@code resumed}
     * @param session the session it is about
     * @param data    for {@code changed} and {@code resume}, the session's record
     * @param payload for {@code deliver}, {@code client}, {@code resume} and {@code resumed}, the JSON-RPC message
     */
    record Message(String from, String to, String corr, String kind, String session, SessionRecord data,
                   JsonRpcMessage payload) {

        /** The message, or null (logged) when it is not one a gateway of this version sent. */
        static Message parse(String text) {
            try {
                JsonNode json = Json.mapper().readTree(text);
                JsonNode data = json.get("data");
                JsonNode payload = json.get("message");
                return new Message(json.path("from").asText(), json.path("to").textValue(),
                        json.path("corr").textValue(), json.path("kind").asText(),
                        json.path("session").asText(), data == null ? null : SessionRecord.parse(data.asText()),
                        payload == null ? null : JsonRpcCodec.INSTANCE.decode(payload.asText()));
            } catch (JsonProcessingException | RuntimeException e) {
                log.warn("Ignored a session message from another gateway that this one cannot read: {}",
                        e.getMessage());
                return null;
            }
        }
    }
}
