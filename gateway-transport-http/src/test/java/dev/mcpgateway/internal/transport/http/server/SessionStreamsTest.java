package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Counting each session's open streams against the limit. */
class SessionStreamsTest {

    @Test
    void eachSessionHasItsOwnPlacesAndAClosedPermitGivesItsPlaceBackOnce() {
        SessionStreams streams = new SessionStreams(2);
        SessionStreams.Permit first = streams.tryOpen("a");
        SessionStreams.Permit second = streams.tryOpen("a");
        assertNotNull(first);
        assertNotNull(second);
        assertNull(streams.tryOpen("a"), "the session holds its limit");
        assertNotNull(streams.tryOpen("b"), "another session counts on its own");

        first.close();
        first.close(); // a stream ended by two paths (replaced, then its thread finishing) frees one place
        SessionStreams.Permit third = streams.tryOpen("a");
        assertNotNull(third);
        assertNull(streams.tryOpen("a"), "closing twice freed one place, not two");

        second.close();
        third.close();
        assertNotNull(streams.tryOpen("a"));
        assertNotNull(streams.tryOpen("a"), "a session whose streams all ended starts afresh");
    }

    @Test
    void aLimitBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SessionStreams(0));
        assertTrue(e.getMessage().contains("at least one stream"), e.getMessage());
    }
}
