package dev.mcpgateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcpgateway.plugin.ToolKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ToolPatternTest {

    @ParameterizedTest(name = "''{0}'' matches {1}/{2}: {3}")
    @CsvSource(delimiter = '|', value = {
            // prefix globs
            "github/create_*   | github     | create_issue   | true",
            "github/create_*   | github     | create_        | true",
            "github/create_*   | github     | delete_issue   | false",
            "github/create_*   | github     | create         | false",
            "github/create_*   | gitlab     | create_issue   | false",
            "github/create_*   | GitHub     | create_issue   | false",
            "github/create_*   | github     | Create_issue   | false",
            // single-character wildcard
            "file?/read        | files      | read           | true",
            "file?/read        | file1      | read           | true",
            "file?/read        | file       | read           | false",
            "file?/read        | filess     | read           | false",
            "file?/read        | files      | read2          | false",
            "fs/??             | fs         | ab             | true",
            "fs/??             | fs         | a              | false",
            "fs/??             | fs         | abc            | false",
            "fs/?*             | fs         | a              | true",
            "fs/*?             | fs         | abc            | true",
            // bare namespace and catch-alls
            "github            | github     | anything       | true",
            "github            | github     | a/b            | true",
            "github            | github2    | anything       | false",
            "git*              | github     | x              | true",
            "*                 | any        | tool           | true",
            "*/*               | any        | tool           | true",
            "**                | any        | tool           | true",
            "*/read            | fs         | read           | true",
            "*/read            | fs         | write          | false",
            "*/read            | fs         | reads          | false",
            // literals
            "fs/read           | fs         | read           | true",
            "fs/read           | fs         | rea            | false",
            "fs/read           | fsx        | read           | false",
            // the tool part may contain '/'
            "fs/dir/*          | fs         | dir/list       | true",
            "fs/dir/*          | fs         | dir            | false",
            "fs/*/list         | fs         | a/b/list       | true",
            "fs/*/list         | fs         | list           | false",
            "fs/a/b            | fs         | a/b            | true",
            // general globs that need backtracking
            "fs/a*b*c          | fs         | abc            | true",
            "fs/a*b*c          | fs         | aXXbYYc        | true",
            "fs/a*b*c          | fs         | abcc           | true",
            "fs/a*b*c          | fs         | abcbc          | true",
            "fs/a*b*c          | fs         | acb            | false",
            "fs/a*b*c          | fs         | abcd           | false",
            "fs/*a             | fs         | aaa            | true",
            "fs/*a             | fs         | aab            | false",
            "fs/*_issue        | fs         | create_issue   | true",
            "fs/*_issue        | fs         | create_issues  | false",
            "fs/a**b           | fs         | ab             | true",
            "fs/*a*            | fs         | xyz            | false",
            "f*s/read          | fs         | read           | true",
            "f*s/read          | files      | read           | true",
            "f*s/read          | file       | read           | false",
            // everything else is literal, including regex metacharacters
            "fs/*.txt          | fs         | a.txt          | true",
            "fs/*.txt          | fs         | atxt           | false",
            "fs/a+b            | fs         | a+b            | true",
            "fs/a+b            | fs         | aab            | false",
            "fs/[ab]           | fs         | [ab]           | true",
            "fs/[ab]           | fs         | a              | false",
            "fs/a\\d           | fs         | a\\d           | true",
            "fs/a\\d           | fs         | a1             | false",
            "fs/(x)+           | fs         | x              | false",
            "fs/(x)+           | fs         | (x)+           | true",
            "fs/^a$            | fs         | ^a$            | true",
            // '?' consumes one code point, not one UTF-16 unit
            "ns/?              | ns         | 😀             | true",
            "ns/??             | ns         | 😀             | false",
            "ns/*😀            | ns         | x😀            | true",
            "ns/?x             | ns         | 😀x            | true",
    })
    void matchesToolIdentities(String pattern, String namespace, String tool, boolean expected) {
        ToolPattern p = ToolPattern.parse(pattern);
        assertEquals(expected, p.matches(namespace, tool), pattern + " vs " + namespace + "/" + tool);
        assertEquals(expected, p.matches(new ToolKey(namespace, tool)), "as a ToolKey");
    }

    @Test
    void matchesToolKeys() {
        ToolPattern p = ToolPattern.parse("github/create_*");
        assertTrue(p.matches(ToolKey.parse("github/create_issue")));
        assertFalse(p.matches(ToolKey.parse("github/list_issues")));
        assertTrue(ToolPattern.parse("fs/dir/*").matches(ToolKey.parse("fs/dir/list")));
    }

    @ParameterizedTest(name = "''{0}'' matches everything: {1}")
    @CsvSource({"*, true", "*/*, true", "**, true", "**/***, true", "*/a, false", "a, false", "a/*, false",
            "*/?, false", "?/*, false", "*/*a, false"})
    void knowsWhetherItMatchesEverything(String pattern, boolean everything) {
        assertEquals(everything, ToolPattern.parse(pattern).matchesEverything());
    }

    @Test
    void toStringIsTheTextAndEqualityIsTextual() {
        assertEquals("github/create_*", ToolPattern.parse("github/create_*").toString());
        assertEquals("github", ToolPattern.parse("github").toString());
        assertEquals(ToolPattern.parse("fs/*"), ToolPattern.parse("fs/*"));
        assertEquals(ToolPattern.parse("fs/*").hashCode(), ToolPattern.parse("fs/*").hashCode());
        assertNotEquals(ToolPattern.parse("fs/*"), ToolPattern.parse("fs"));
    }

    @ParameterizedTest(name = "''{0}'' is rejected")
    @ValueSource(strings = {"", "   ", "/read", "/", "//", "github/", " github/*", "github/* ", "\tfs"})
    void rejectsEmptyPartsAndStrayWhitespace(String pattern) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToolPattern.parse(pattern));
        assertTrue(e.getMessage().startsWith("invalid tool pattern '" + pattern + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("'github/create_*'"), "shows a valid example: " + e.getMessage());
    }

    @Test
    void errorMessagesSayHowToFixThePattern() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ToolPattern.parse(""))
                .getMessage().contains("use '*' to match every tool"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ToolPattern.parse("/read"))
                .getMessage().contains("namespace part before '/' is empty; write e.g. '*/read'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ToolPattern.parse("github/"))
                .getMessage().contains("write 'github' or 'github/*'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ToolPattern.parse(" fs"))
                .getMessage().contains("leading or trailing whitespace"));
        assertThrows(NullPointerException.class, () -> ToolPattern.parse(null));
    }

    @Test
    void pathologicalGlobsStayLinearish() {
        String as = "a".repeat(200_000);
        ToolPattern p = ToolPattern.parse("ns/a*a*a*a*a*a*a*a*b");
        // A backtracking regex or a naive recursive matcher would not finish this in any reasonable time.
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertFalse(p.matches("ns", as));
            assertTrue(p.matches("ns", as + "b"));
            assertFalse(ToolPattern.parse("ns/*a*a*a*a*a*a*?b").matches("ns", as));
            assertTrue(ToolPattern.parse("a*a*a*a*a*c/*").matches("a".repeat(100_000) + "c", "t"));
        });
    }

    @Test
    void matchingDoesNotAllocate() throws ReflectiveOperationException {
        ToolPattern general = ToolPattern.parse("git*/cre?te_*_v*");
        ToolPattern prefix = ToolPattern.parse("github/create_*");
        ToolKey key = new ToolKey("github", "create_issue_v2");
        assertTrue(VersionConstraintTest.allocatedBytes(100_000, () -> general.matches(key) & prefix.matches(key)
                & !general.matches("gitlab", "delete_issue")) < 64 * 1024, "matches must not allocate per call");
    }
}
