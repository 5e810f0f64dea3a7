package dev.mcpgateway.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class Http1PoolTest extends PoolOverScriptedServer {
    @Test
    void postsWithTheRequestsHeadersAndReusesOneConnectionForAnswersReadToTheirEnd() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.answers.add(json("{\"n\":" + i + "}"));
        }
        for (int i = 0; i < 3; i++) {
            UpstreamReply response = pool.post(URI.create(server.url() + "?x=1"),
                    new HeaderFields().add("X-Token", "t" + i), WAIT,
                    ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            assertEquals(200, response.status());
            assertEquals("application/json", response.header("content-type"));
            assertEquals("{\"n\":" + i + "}", new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }

        assertEquals(3, server.seen.size());
        ScriptedServer.Seen first = server.seen.getFirst();
        assertEquals("POST /mcp?x=1 HTTP/1.1", first.requestLine());
        assertEquals("127.0.0.1:" + server.port(), first.header("host"));
        assertEquals("t0", first.header("x-token"));
        assertEquals("{\"i\":0}", first.body());
        assertTrue(server.seen.stream().allMatch(seen -> seen.connection() == 0), server.seen.toString());
    }

    @Test
    void theRequestsContentLengthIsItsBodysLengthInDecimal() throws Exception {
        List<Integer> lengths = List.of(0, 7, 10, 99, 100, 20_000); // the last one is larger than the write buffer
        for (int length : lengths) {
            server.answers.add(json("{}"));
            pool.post(server.url(), new HeaderFields(), WAIT, "x".repeat(length).getBytes(StandardCharsets.UTF_8))
                    .body().readAllBytes();
        }

        for (int i = 0; i < lengths.size(); i++) {
            ScriptedServer.Seen seen = server.seen.get(i);
            assertEquals(String.valueOf(lengths.get(i)), seen.header("content-length"));
            assertEquals("x".repeat(lengths.get(i)), seen.body());
        }
    }

    @Test
    void readsAChunkedEventStreamAsItArrivesThenReusesTheConnection() throws Exception {
        server.answers.add("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "8\r\ndata: a\n\r\n9;ext=1\r\ndata: bc\n\r\n0\r\n\r\n");
        server.answers.add(json("{}"));

        UpstreamReply stream = post();
        assertEquals("data: a\ndata: bc\n", new String(stream.body().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("{}", new String(post().body().readAllBytes(),
                StandardCharsets.UTF_8));

        assertEquals(List.of(0, 0), server.seen.stream().map(ScriptedServer.Seen::connection).toList());
    }

    @Test
    void answersWithoutBodySkipInterimOnesAndLeaveTheConnectionReusable() throws Exception {
        server.answers.add("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        server.answers.add("HTTP/1.1 204 No Content\r\n\r\n");
        server.answers.add(json("{}"));

        assertEquals(202, post().status());
        assertEquals(204, post().status());
        assertEquals(200, post().status());

        assertEquals(List.of(0, 0, 0), server.seen.stream().map(ScriptedServer.Seen::connection).toList());
    }

    @Test
    void headsReadAgainOnAConnectionGiveEachAnswerItsOwnFields() throws Exception {
        String longValue = "v".repeat(300); // too long to be remembered: parsed anew each time
        for (String session : List.of("a", "b", "a")) {
            server.answers.add("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session
                    + "\r\nX-Long: " + longValue + "\r\nContent-Length: 2\r\n\r\n{}");
        }

        for (String session : List.of("a", "b", "a")) {
            UpstreamReply reply = post();
            assertEquals("{}", new String(reply.body().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(session, reply.header("mcp-session-id"));
            assertEquals("application/json", reply.header("Content-Type"));
            assertEquals(longValue, reply.header("x-long"));
            assertEquals(2, reply.headers().firstAsLong("content-length").orElseThrow());
        }
        assertEquals(List.of(0, 0, 0), server.seen.stream().map(ScriptedServer.Seen::connection).toList());
    }

    @Test
    void closingABodyBeforeItsEndClosesItsConnectionAndTheNextPostOpensAnother() throws Exception {
        server.answers.add("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst");
        server.answers.add(json("{}"));

        UpstreamReply cut = post();
        assertEquals("first", new String(cut.body().readNBytes(5), StandardCharsets.UTF_8));
        cut.body().close();
        assertTrue(server.closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the server saw the connection end");
        assertEquals(200, post().status());

        assertEquals(List.of(0, 1), server.seen.stream().map(ScriptedServer.Seen::connection).toList());
    }

    @Test
    void anIdleConnectionTheServerClosedIsNotReusedSoThePostIsSentOnce() throws Exception {
        server.answers.add(json("{}"));
        server.answers.add(ScriptedServer.CLOSE);
        server.answers.add(json("{\"again\":true}"));

        post().body().readAllBytes();
        assertTrue(server.closed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        UpstreamReply second = post();

        assertEquals("{\"again\":true}", new String(second.body().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(List.of(0, 1), server.seen.stream().map(ScriptedServer.Seen::connection).toList());
    }

    @Test
    void aConnectionClosedAnswerAndABodyEndingWithTheConnectionAreNotReused() throws Exception {
        server.answers.add("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
        server.answers.add("HTTP/1.1 200 OK\r\n\r\nuntil the end" + ScriptedServer.CLOSE);
        server.answers.add(json("{}"));

        assertEquals("{}", new String(post().body().readAllBytes(),
                StandardCharsets.UTF_8));
        assertEquals("until the end", new String(post().body().readAllBytes(),
                StandardCharsets.UTF_8));
        assertEquals(200, post().status());

        assertEquals(List.of(0, 1, 2), server.seen.stream().map(ScriptedServer.Seen::connection).toList());
    }

    @Test
    void responseHeadersLateBeyondTheRequestTimeoutFailTheExchange() {
        server.answers.add(ScriptedServer.SILENCE);

        assertThrows(HttpTimeoutException.class, () -> post(Duration.ofMillis(200)));
    }

    @Test
    void aBodyCutShortByTheServerFailsItsReader() throws Exception {
        server.answers.add("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc" + ScriptedServer.CLOSE);

        InputStream body = post().body();

        assertThrows(IOException.class, body::readAllBytes);
    }

    @Test
    void onlyPlainHttpWithoutProxyAuthenticatorCookiesOrRedirectsBypassesTheClient() {
        URI plain = URI.create("http://127.0.0.1:1/mcp");
        HttpClient bare = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        assertTrue(Http1Pool.suits(bare, plain));
        assertFalse(Http1Pool.suits(bare, URI.create("https://127.0.0.1:1/mcp")));
        assertFalse(Http1Pool.suits(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build(),
                plain));
        assertFalse(Http1Pool.suits(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .proxy(java.net.ProxySelector.of(new java.net.InetSocketAddress("127.0.0.1", 3128))).build(), plain));
        assertFalse(Http1Pool.suits(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new java.net.CookieManager()).build(), plain));
    }


    private static String json(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }
}
