package dev.mcpgateway.internal.transport.http.api;

import static dev.mcpgateway.internal.transport.http.api.Bodies.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {
    private final List<FieldError> errors = new ArrayList<>();

    @Test
    void pointersEscapeTildeAndSlashAsRfc6901Says() {
        assertEquals("/labels/app.kubernetes.io~1name", JsonFields.child("/labels", "app.kubernetes.io/name"));
        assertEquals("/env/~0HOME~1x", JsonFields.child("/env", "~HOME/x"));
        assertEquals("/tools/2/name", JsonFields.child(JsonFields.index("/tools", 2), "name"));
        assertEquals("/", JsonFields.child("", ""));
    }

    @Test
    void kindsAreNamedForMessages() {
        assertEquals(List.of("a string", "a number", "a number", "true", "an object", "an array", "null", "nothing"),
                List.of(JsonFields.kind(json("\"x\"")), JsonFields.kind(json("1")), JsonFields.kind(json("1.5")),
                        JsonFields.kind(json("true")), JsonFields.kind(json("{}")), JsonFields.kind(json("[]")),
                        JsonFields.kind(json("null")), JsonFields.kind(null)));
    }

    @Test
    void aStrictReaderReportsUnknownMembersAndMisplacedOnesWithTheirOwnMessage() {
        JsonFields.strict(json("{\"a\": 1, \"typo\": 2, \"moved\": 3}"), "/x", errors, List.of("a", "b"),
                Map.of("moved", "belongs under /y now"));

        assertEquals(List.of(new FieldError("/x/typo", "unknown field; the known ones are a, b"),
                new FieldError("/x/moved", "belongs under /y now")), errors);
    }

    @Test
    void aLenientReaderIgnoresWhatItIsNotAskedFor() {
        JsonFields fields = JsonFields.lenient(json("{\"a\": \"x\", \"later\": {\"added\": true}}"), "", errors);

        assertEquals("x", fields.string("a"));
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void readingAMemberTheReaderWasNotToldOfIsAProgrammingError() {
        JsonFields fields = JsonFields.strict(json("{}"), "", errors, "a");

        assertThrows(IllegalStateException.class, () -> fields.string("b"));
    }

    @Test
    void anAbsentObjectReadsAsEmptyWithoutErrorsAndANonObjectIsOneError() {
        JsonFields absent = JsonFields.strict(null, "/transport", errors, "type");
        assertFalse(absent.present());
        assertNull(absent.requiredString("type"), "nothing to require in what is not there");
        assertTrue(errors.isEmpty());

        JsonFields wrong = JsonFields.strict(json("[1]"), "/transport", errors, "type");
        assertFalse(wrong.present());
        assertNull(wrong.requiredString("type"));
        assertEquals(List.of(new FieldError("/transport", "must be a JSON object, got an array")), errors);
    }

    @Test
    void typedReadsReportTheWrongTypeAndReturnNull() {
        JsonFields fields = JsonFields.lenient(json("""
                {"s": 1, "b": "yes", "i": "3", "big": 3000000000, "a": {}, "l": [1], "m": {"k": []}, "n": null}"""),
                "", errors);

        assertNull(fields.string("s"));
        assertNull(fields.bool("b"));
        assertNull(fields.integer("i"));
        assertNull(fields.integer("big"));
        assertNull(fields.array("a"));
        assertEquals(List.of(), fields.stringList("l"));
        assertEquals(Map.of(), fields.stringMap("m"));
        assertNull(fields.string("n"), "null is absent");
        assertEquals(List.of(
                new FieldError("/s", "must be a string, got a number"),
                new FieldError("/b", "must be true or false, got a string"),
                new FieldError("/i", "must be an integer, got a string"),
                new FieldError("/big", "must be between -2147483648 and 2147483647, got 3000000000"),
                new FieldError("/a", "must be an array, got an object"),
                new FieldError("/l/0", "must be a string, got a number"),
                new FieldError("/m/k", "must be a string, got an array")), errors);
    }

    @Test
    void aLibraryParsersMessageIsReportedAtTheMember() {
        JsonFields fields = JsonFields.lenient(json("{\"weight\": 0}"), "/targets/0", errors);

        assertNull(fields.check("weight", () -> {
            throw new IllegalArgumentException("weight must be positive, got 0");
        }));
        assertEquals(7, (int) fields.check("weight", () -> 7));
        assertEquals(List.of(new FieldError("/targets/0/weight", "weight must be positive, got 0")), errors);
    }

    @Test
    void theExceptionSummarisesEveryErrorOnOneLine() {
        InvalidRequestException two = new InvalidRequestException(List.of(new FieldError("/weight", "must be 1+"),
                new FieldError("/transport/url", "must be http")));
        InvalidRequestException one = new InvalidRequestException(List.of(new FieldError("", "must be a JSON object")));

        assertEquals("2 errors: /weight: must be 1+; /transport/url: must be http", two.getMessage());
        assertEquals("1 error: the body: must be a JSON object", one.getMessage());
        assertEquals(2, two.errors().size());
        assertThrows(IllegalArgumentException.class, () -> new InvalidRequestException(List.of()));
        assertThrows(UnsupportedOperationException.class, () -> two.errors().clear());
    }
}
