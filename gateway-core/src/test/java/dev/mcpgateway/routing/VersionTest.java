package dev.mcpgateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

    /** An empty pre-release column (null) means a release. */
    @ParameterizedTest(name = "{0} -> {1}.{2}.{3} pre=[{4}] build=[{5}]")
    @CsvSource(delimiter = ';', value = {
            "1.2.3;                 1; 2; 3; ;             ''",
            "0.0.0;                 0; 0; 0; ;             ''",
            "v1.2.3;                1; 2; 3; ;             ''",
            "V1.2.3;                1; 2; 3; ;             ''",
            "1;                     1; 0; 0; ;             ''",
            "1.2;                   1; 2; 0; ;             ''",
            "v2;                    2; 0; 0; ;             ''",
            "10.20.30;              10; 20; 30; ;          ''",
            "1.0.0-alpha;           1; 0; 0; alpha;        ''",
            "1.0.0-alpha.1;         1; 0; 0; alpha.1;      ''",
            "1.0.0-0.3.7;           1; 0; 0; 0.3.7;        ''",
            "1.0.0-x.7.z.92;        1; 0; 0; x.7.z.92;     ''",
            "1.0.0-x-y-z.--;        1; 0; 0; x-y-z.--;     ''",
            "1.0.0-0A.is.legal;     1; 0; 0; 0A.is.legal;  ''",
            "1.0.0+20130313144700;  1; 0; 0; ;             20130313144700",
            "1.0.0-beta+exp.sha.5114f85; 1; 0; 0; beta;   exp.sha.5114f85",
            "1.0.0+21AF26D3----117B344092BD; 1; 0; 0; ;   21AF26D3----117B344092BD",
            "1.0.0+0.build.1-rc.10000aaa-kk-0.1; 1; 0; 0; ; 0.build.1-rc.10000aaa-kk-0.1",
            "2147483647.2147483647.2147483647; 2147483647; 2147483647; 2147483647; ; ''",
    })
    void parsesValidVersions(String text, int major, int minor, int patch, String pre, String build) {
        Version v = Version.parse(text);
        assertEquals(major, v.major());
        assertEquals(minor, v.minor());
        assertEquals(patch, v.patch());
        assertEquals(pre == null ? List.of() : List.of(pre.split("\\.")), v.preRelease());
        assertEquals(build, v.build());
        assertEquals(pre != null, v.isPreRelease());
        assertEquals(Optional.of(v), Version.tryParse(text));
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
            "1.2.3, 1.2.3",
            "v1.2.3, 1.2.3",
            "1, 1.0.0",
            "v1.2, 1.2.0",
            "1.0.0-rc.1, 1.0.0-rc.1",
            "1.0.0-rc.1+build.7, 1.0.0-rc.1+build.7",
            "1.0.0+build, 1.0.0+build",
    })
    void toStringIsCanonical(String text, String canonical) {
        assertEquals(canonical, Version.parse(text).toString());
        assertEquals(Version.parse(text), Version.parse(canonical), "the canonical form parses back to an equal version");
    }

    @ParameterizedTest(name = "''{0}'' is rejected ({1})")
    @CsvSource(delimiter = ';', value = {
            "'';                 empty",
            "a;                  expected a number",
            "x.y.z;              expected a number",
            "1.;                 expected a number at the end",
            "1..2;               expected a number",
            "1.2.3.4;            at most three numbers",
            "01.2.3;             leading zero",
            "1.02.3;             leading zero",
            "1.2.03;             leading zero",
            "1.2.3-;             is empty",
            "1.2.3-01;           leading zero",
            "1.2.3-rc..1;        is empty",
            "1.2.3-rc.;          is empty",
            "1.2.3-rc_1;         contains '_'",
            "1.2.3-é;            contains 'é'",
            "1.2.3+;             must be followed by build identifiers",
            "1.2.3+a_b;          contains '_'",
            "1.2.3+a..b;         is empty",
            "1.2.3-rc+;          must be followed by build identifiers",
            "1.2.3-a+b+c;        contains '+'",
            "1.2-rc.1;           needs all three numbers",
            "1+build;            needs all three numbers",
            "' 1.2.3';           expected a number",
            "'1.2.3 ';           unexpected ' ' at position 5",
            "1.2.3x;             unexpected 'x' at position 5",
            "-1.2.3;             expected a number",
            "vv1.2.3;            expected a number",
            "2147483648.0.0;     larger than 2147483647",
            "1.99999999999.0;    larger than 2147483647",
    })
    void rejectsInvalidVersionsSayingWhatIsWrong(String text, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Version.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("1.2.3") && e.getMessage().contains("1.2.3-rc.1"),
                "names the expected form: " + e.getMessage());
        assertEquals(Optional.empty(), Version.tryParse(text));
    }

    @Test
    void tryParseOfNullIsEmptyButParseOfNullFailsFast() {
        assertEquals(Optional.empty(), Version.tryParse(null));
        assertThrows(NullPointerException.class, () -> Version.parse(null));
    }

    /** The precedence example from semver.org, section 11, plus numeric-versus-text edge cases. */
    @ParameterizedTest(name = "ascending: {0}")
    @ValueSource(strings = {
            "1.0.0-alpha, 1.0.0-alpha.1, 1.0.0-alpha.beta, 1.0.0-beta, 1.0.0-beta.2, 1.0.0-beta.11, 1.0.0-rc.1, 1.0.0",
            "1.0.0, 2.0.0, 2.1.0, 2.1.1",
            "1.9.0, 1.10.0, 1.11.0",
            "0.0.9, 0.1.0, 0.10.0, 1.0.0",
            "1.0.0-0, 1.0.0-1, 1.0.0-2, 1.0.0-10, 1.0.0-9999, 1.0.0-99999999999999999999, 1.0.0-A, 1.0.0-a",
            "1.0.0-a, 1.0.0-a.0, 1.0.0-a.b, 1.0.0-b",
            "1.0.0-rc.1, 1.0.0, 1.0.1-0, 1.0.1",
            "2147483646.0.0, 2147483647.0.0",
    })
    void comparesBySemverPrecedence(String ascending) {
        List<Version> versions = Arrays.stream(ascending.split(",\\s*")).map(Version::parse).toList();
        for (int i = 0; i < versions.size(); i++) {
            for (int j = 0; j < versions.size(); j++) {
                Version a = versions.get(i);
                Version b = versions.get(j);
                assertEquals(Integer.signum(Integer.compare(i, j)), Integer.signum(a.compareTo(b)), a + " vs " + b);
            }
        }
        List<Version> shuffled = new ArrayList<>(versions);
        Collections.shuffle(shuffled, new Random(42));
        Collections.sort(shuffled);
        assertEquals(versions, shuffled);
    }

    @Test
    void buildMetadataIsIgnoredByCompareToButNotByEquals() {
        Version a = Version.parse("1.0.0+a");
        Version b = Version.parse("1.0.0+b");
        assertEquals(0, a.compareTo(b));
        assertEquals(0, a.compareTo(Version.of(1, 0, 0)));
        assertNotEquals(a, b);
        assertEquals(a, Version.parse("1.0.0+a"));
        assertEquals(a.hashCode(), Version.parse("1.0.0+a").hashCode());
        assertEquals(0, Version.parse("1.0.0-rc.1+x").compareTo(Version.parse("1.0.0-rc.1+y")));
    }

    @Test
    void constructorNormalizesAndValidates() {
        Version v = new Version(1, 2, 3, null, null);
        assertEquals(List.of(), v.preRelease());
        assertEquals("", v.build());
        assertEquals(Version.of(1, 2, 3), v);

        List<String> ids = new ArrayList<>(List.of("rc", "1"));
        Version rc = new Version(1, 2, 3, ids, "b.1");
        ids.add("mutated");
        assertEquals(List.of("rc", "1"), rc.preRelease(), "the identifier list is copied");
        assertThrows(UnsupportedOperationException.class, () -> rc.preRelease().add("x"));
        assertEquals("1.2.3-rc.1+b.1", rc.toString());

        assertTrue(assertThrows(IllegalArgumentException.class, () -> Version.of(-1, 0, 0))
                .getMessage().contains("negative"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Version(1, 0, 0, List.of("01"), ""))
                .getMessage().contains("leading zero"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Version(1, 0, 0, List.of(""), ""))
                .getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Version(1, 0, 0, List.of(), "a b"))
                .getMessage().contains("contains ' '"));
        assertEquals("1.0.0+001", new Version(1, 0, 0, List.of(), "001").toString(),
                "build identifiers may have leading zeros");
    }

    @Test
    void hasSameCoreIgnoresPreReleaseAndBuild() {
        assertTrue(Version.parse("1.2.3-rc.1").hasSameCore(Version.parse("1.2.3+b")));
        assertFalse(Version.parse("1.2.3-rc.1").hasSameCore(Version.parse("1.2.4-rc.1")));
    }
}
