package dev.mcpgateway.internal.transport.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestChecksTest {

    @ParameterizedTest(name = "Accept ''{0}'' admits {1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "application/json, text/event-stream        | application/json  | true",
        "application/json, text/event-stream        | text/event-stream | true",
        "application/json,text/event-stream         | text/event-stream | true",
        "  Application/JSON ;q=0.9 , text/plain     | application/json  | true",
        "text/event-stream;q=0.5                    | text/event-stream | true",
        "*/*                                        | application/json  | true",
        "text/plain, */*;q=0.1                      | text/event-stream | true",
        "text/*                                     | text/event-stream | true",
        "TEXT/*                                     | text/event-stream | true",
        "text/*                                     | application/json  | false",
        "application/json                           | text/event-stream | false",
        "application/jsonx                          | application/json  | false",
        "application/js                             | application/json  | false",
        "text/event-stream-x                        | text/event-stream | false",
        "*/json                                     | application/json  | false",
        "' , ,'                                     | application/json  | false",
        "''                                         | application/json  | false",
        "NULL                                       | application/json  | false",
    })
    void acceptAdmitsWhatTheMediaRangesSay(String accept, String type, boolean admitted) {
        assertEquals(admitted, RequestChecks.accepts(accept, type));
    }
}
