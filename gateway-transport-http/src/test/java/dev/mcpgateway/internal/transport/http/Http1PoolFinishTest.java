package dev.mcpgateway.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Http1Pool#finish}, which keeps the connection of an event stream whose response was read, and the pool's
 * deadlines on the gateway's timer instead of socket read timeouts.
 */
class Http1PoolFinishTest extends PoolOverScriptedServer {
    private static final String STREAM_HEAD =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String EVENT = "8\r\ndata: a\n\r\n";

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    @BeforeEach
    void dropCancelledTimers() {
        timer.setRemoveOnCancelPolicy(true); // as the gateway's timer does
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void finishingAStreamWhoseEndComesAMomentLaterKeepsItsConnection() throws Exception {
        finishAfterTheEventThenPostAgain(STREAM_HEAD + EVENT + ScriptedServer.PAUSE + "0\r\n\r\n");

        assertEquals(List.of(0, 0), connections(), "the end, still on its way at finish, was waited for");
    }

    @Test
    void finishingAStreamThatDoesNotEndSoonClosesItsConnection() throws Exception {
        InputStream stream = finishAfterTheEventThenPostAgain(STREAM_HEAD + EVENT); // and the server never ends it

        assertEquals(List.of(0, 1), connections());
        assertEquals(-1, stream.read(), "a finished body has nothing more for its reader");
    }

    @Test
    void finishingAStreamThatTricklesPastTheWaitClosesItsConnection() throws Exception {
        // Eight pauses of 20 ms: each shorter than finish's 100 ms wait, all of them together longer.
        String trickle = (ScriptedServer.PAUSE + "1\r\nx\r\n").repeat(8);
        finishAfterTheEventThenPostAgain(STREAM_HEAD + EVENT + trickle + "0\r\n\r\n");

        assertEquals(List.of(0, 1), connections());
    }

    @Test
    void finishingABodyThatEndsOnlyWithItsConnectionClosesIt() throws Exception {
        server.answers.add("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: a\n\n");
        server.answers.add(json());

        InputStream stream = post().body();
        Http1Pool.finish(stream);
        assertEquals(200, post().status());

        assertEquals(List.of(0, 1), connections());
    }

    @Test
    void withTheGatewaysTimerAnAnswerInTimeLeavesNoTimerBehindAndSilenceTimesOut() throws Exception {
        pool.close();
        pool = new Http1Pool(server.url(), WAIT, timer);
        server.answers.add(json());
        server.answers.add(ScriptedServer.SILENCE);

        assertEquals("{}", new String(post().body().readAllBytes(),
                StandardCharsets.UTF_8));
        assertTrue(timer.getQueue().isEmpty(), "the deadline of an exchange answered in time is gone");
        HttpTimeoutException late = assertThrows(HttpTimeoutException.class,
                () -> post(Duration.ofMillis(200)));
        assertTrue(late.getMessage().contains("within PT0.2S"), late.getMessage());
    }

    @Test
    void aReadTimeoutLeftByFinishDoesNotBoundTheNextAnswerOnTheGatewaysTimer() throws Exception {
        pool.close();
        pool = new Http1Pool(server.url(), WAIT, timer);
        server.answers.add(STREAM_HEAD + EVENT + "0\r\n\r\n");
        server.answers.add("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n" + ScriptedServer.PAUSE
                + ScriptedServer.PAUSE + ScriptedServer.PAUSE + ScriptedServer.PAUSE + ScriptedServer.PAUSE
                + ScriptedServer.PAUSE + "{}");

        InputStream stream = post().body();
        Http1Pool.finish(stream);
        // 120 ms of pauses before the body: longer than finish's 100 ms wait, well within the request's timeout.
        assertEquals("{}", new String(post().body().readAllBytes(),
                StandardCharsets.UTF_8));
        assertEquals(List.of(0, 0), connections());
    }

    /**
     * Posts once, answered by {@code answer}, reads its first event and finishes the stream, then posts again (answered
     * with JSON); which connections carried the two posts tells whether finish kept the first one.
     */
    private InputStream finishAfterTheEventThenPostAgain(String answer) throws Exception {
        server.answers.add(answer);
        server.answers.add(json());
        InputStream stream = post().body();
        assertEquals("data: a\n", new String(stream.readNBytes(8), StandardCharsets.UTF_8));
        Http1Pool.finish(stream);
        assertEquals(200, post().status());
        return stream;
    }

    private List<Integer> connections() {
        return server.seen.stream().map(ScriptedServer.Seen::connection).toList();
    }

    private static String json() {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    }
}
