package dev.mcpgateway.transport.stdio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcpgateway.internal.transport.stdio.server.EnvelopeHead;
import dev.mcpgateway.internal.transport.stdio.server.EnvelopeHead.Kind;
import dev.mcpgateway.jsonrpc.RequestId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the head of an oversized line reveals, for every envelope order clients use. */
class EnvelopeHeadTest {
    private static final EnvelopeHead UNKNOWN = new EnvelopeHead(Kind.UNKNOWN, null);

    @Test
    void findsARequestsIdBeforeTheCut() {
        assertEquals(new EnvelopeHead(Kind.REQUEST, RequestId.of(7)),
                head("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"arguments\":{\"pad\":\"xxx"));
        assertEquals(new EnvelopeHead(Kind.REQUEST, RequestId.of("a-1")),
                head("{\"method\":\"tools/call\",\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"params\":[1,2,{\"deep\":[3"));
    }

    @Test
    void skipsNestedMembersThatLookLikeTheEnvelope() {
        assertEquals(new EnvelopeHead(Kind.REQUEST, RequestId.of(3)),
                head("{\"params\":{\"id\":99,\"result\":1},\"method\":\"x\",\"id\":3,\"jsonrpc\":\"2.0\",\"more\":\"yy"));
    }

    @Test
    void recognisesAResponseToTheGatewaysOwnRequest() {
        assertEquals(new EnvelopeHead(Kind.RESPONSE, RequestId.of("gw-12")),
                head("{\"jsonrpc\":\"2.0\",\"id\":\"gw-12\",\"result\":{\"content\":{\"text\":\"lo"));
        assertEquals(new EnvelopeHead(Kind.RESPONSE, RequestId.of(5)),
                head("{\"error\":{\"code\":-1,\"message\":\"a long story\"},\"id\":5,\"data\":\"zz"));
    }

    @Test
    void anIdCutOffOrMissingLeavesTheMessageUnknown() {
        // The bulk comes first and the cut falls inside it.
        assertEquals(UNKNOWN, head("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"pad\":\"xxxxx"));
        // The id string itself is cut.
        assertEquals(UNKNOWN, head("{\"method\":\"tools/call\",\"id\":\"abcdef"));
        // An id without method, result or error is no telling what.
        assertEquals(UNKNOWN, head("{\"id\":4,\"jsonrpc\":\"2.0\",\"pad\":\"xxxx"));
        // A notification has no id to answer.
        assertEquals(UNKNOWN, head("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"x\":\"y"));
    }

    @Test
    void idsThatCannotBeAnsweredUnderAreIgnored() {
        assertEquals(UNKNOWN, head("{\"id\":null,\"method\":\"x\",\"params\":{\"p\":\"q"));
        assertEquals(UNKNOWN, head("{\"id\":1.5,\"method\":\"x\",\"params\":{\"p\":\"q"));
        assertEquals(UNKNOWN, head("{\"id\":123456789012345678901234567890,\"method\":\"x\",\"params\":{\"p\":\"q"));
        assertEquals(UNKNOWN, head("{\"id\":{\"n\":1},\"method\":\"x\",\"params\":{\"p\":\"q"));
    }

    @Test
    void notAnObjectOrNotJsonIsUnknown() {
        assertEquals(UNKNOWN, head("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"p\":\"q"));
        assertEquals(UNKNOWN, head("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        assertEquals(UNKNOWN, head(""));
        assertEquals(UNKNOWN, head("{\"method\":\"x\",\"result\":1,\"id\":2,\"p\":\"q"));
    }

    @Test
    void onlyTheGivenLengthIsRead() {
        byte[] bytes = "{\"method\":\"x\",\"params\":{},\"id\":8}".getBytes(StandardCharsets.UTF_8);
        assertEquals(UNKNOWN, EnvelopeHead.read(bytes, bytes.length - 3));
        assertEquals(new EnvelopeHead(Kind.REQUEST, RequestId.of(8)), EnvelopeHead.read(bytes, bytes.length));
    }

    @Test
    void aKnownKindNeedsAnId() {
        IllegalArgumentException thrown =
                assertThrows(IllegalArgumentException.class, () -> new EnvelopeHead(Kind.REQUEST, null));
        assertEquals("a REQUEST head needs the id it was recognised by", thrown.getMessage());
    }

    private static EnvelopeHead head(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return EnvelopeHead.read(bytes, bytes.length);
    }
}
