package dev.mcpgateway.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upstream pool refuses every response framed in a way two HTTP parsers could read differently, with an error
 * saying what was wrong, and never reuses the connection it came on: the next POST goes on a new one.
 */
class Http1PoolStrictnessTest extends PoolOverScriptedServer {
    private static final String OK = "HTTP/1.1 200 OK\r\n";

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("Content-Length with Transfer-Encoding",
                        OK + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        "both Transfer-Encoding and Content-Length"),
                Arguments.of("two different Content-Lengths",
                        OK + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}x", "differing Content-Lengths"),
                Arguments.of("a list of different Content-Lengths",
                        OK + "Content-Length: 2, 3\r\n\r\n{}x", "differing Content-Lengths"),
                Arguments.of("a list of Content-Lengths with an empty one",
                        OK + "Content-Length: 2,\r\n\r\n{}", "invalid Content-Length"),
                Arguments.of("the same length written two ways",
                        OK + "Content-Length: 2\r\nContent-Length: 02\r\n\r\n{}", "differing Content-Lengths"),
                Arguments.of("a signed Content-Length", OK + "Content-Length: +2\r\n\r\n{}", "invalid Content-Length"),
                Arguments.of("a negative Content-Length", OK + "Content-Length: -2\r\n\r\n{}",
                        "invalid Content-Length"),
                Arguments.of("a Transfer-Encoding other than chunked",
                        OK + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "other than chunked"),
                Arguments.of("a chunk size that is not hex",
                        OK + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", "invalid chunk size"),
                Arguments.of("a signed chunk size",
                        OK + "Transfer-Encoding: chunked\r\n\r\n+2\r\n{}\r\n0\r\n\r\n", "invalid chunk size"),
                Arguments.of("a chunk size past a long",
                        OK + "Transfer-Encoding: chunked\r\n\r\n10000000000000000\r\n{}\r\n0\r\n\r\n",
                        "invalid chunk size"),
                Arguments.of("a chunk without CRLF after its data",
                        OK + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n", "not followed by CRLF"),
                Arguments.of("a status line of HTTP/1.0", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}",
                        "HTTP/1.1 status line"),
                Arguments.of("a status line of HTTP/2", "HTTP/2 200\r\nContent-Length: 2\r\n\r\n{}",
                        "HTTP/1.1 status line"),
                Arguments.of("a status code of four digits", "HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\n{}",
                        "HTTP/1.1 status line"),
                Arguments.of("a NUL in a header value", OK + "X-Note: a\u0000b\r\nContent-Length: 2\r\n\r\n{}",
                        "control character"),
                Arguments.of("a bare CR in a header value", OK + "X-Note: a\rb\r\nContent-Length: 2\r\n\r\n{}",
                        "CR not followed by LF"),
                Arguments.of("a head line ending with a bare LF", OK + "Content-Length: 2\n\r\n{}", "bare LF"),
                Arguments.of("a folded header line", OK + "X-Note: a\r\n folded\r\nContent-Length: 2\r\n\r\n{}",
                        "not a field name"),
                Arguments.of("a blank before a header's colon", OK + "Content-Length : 2\r\n\r\n{}",
                        "not a field name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedResponseIsRefusedAndItsConnectionDiscarded(String what, String answer, String reason)
            throws Exception {
        server.answers.add(answer);
        server.answers.add(json("{\"next\":1}"));

        IOException refused = assertThrows(IOException.class,
                () -> post().body().readAllBytes(), what);
        assertTrue(refused.getMessage().contains(reason), what + ": " + refused.getMessage());

        assertEquals("{\"next\":1}", read(post()));
        assertEquals(List.of(0, 1), server.seen.stream().map(ScriptedServer.Seen::connection).toList(), what);
    }

    @Test
    void bytesPastAnAnswersContentLengthAreNeverTakenForTheNextAnswer() throws Exception {
        server.answers.add(json("{}") + "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"smuggled\"}");
        server.answers.add(json("{\"next\":1}"));

        assertEquals("{}", read(post()));
        assertEquals("{\"next\":1}", read(post()));

        assertEquals(List.of(0, 1), server.seen.stream().map(ScriptedServer.Seen::connection).toList());
    }

    @Test
    void equalRepeatedContentLengthsAndAChunkExtensionAreWellFormed() throws Exception {
        server.answers.add(OK + "Content-Length: 2\r\nContent-Length: 2, 2\r\n\r\n{}");
        server.answers.add(OK + "Content-Length: 2 ,\t2\r\nX-Other: 3\r\ncontent-length:2\r\n\r\n{}");
        server.answers.add(OK + "Transfer-Encoding: Chunked\r\n\r\n2 ;x=1\r\n{}\r\n0\r\nTrailer: t\r\n\r\n");

        assertEquals("{}", read(post()));
        assertEquals("{}", read(post()));
        assertEquals("{}", read(post()));

        assertEquals(List.of(0, 0, 0), server.seen.stream().map(ScriptedServer.Seen::connection).toList());
    }

    @Test
    void aLongHeaderLineIsReadWholeAndTheConnectionKept() throws Exception {
        String note = "note ".repeat(200).strip(); // past the line buffer's first size
        server.answers.add(OK + "X-Note: " + note + "\r\nContent-Length: 2\r\n\r\n{}");
        server.answers.add(OK + "X-Note: short\r\nContent-Length: 2\r\n\r\n{}");

        UpstreamReply first = post();
        assertEquals(note, first.header("X-Note"));
        assertEquals("{}", read(first));
        UpstreamReply second = post();
        assertEquals("short", second.header("X-Note"));
        assertEquals("{}", read(second));

        assertEquals(List.of(0, 0), server.seen.stream().map(ScriptedServer.Seen::connection).toList());
    }


    private static String read(UpstreamReply response) throws IOException {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String json(String body) {
        return OK + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }
}
