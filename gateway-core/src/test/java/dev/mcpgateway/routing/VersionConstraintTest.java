package dev.mcpgateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionConstraintTest {

    @ParameterizedTest(name = "''{0}'' matches {1}: {2}")
    @CsvSource(delimiter = ';', value = {
            // exact versions
            "1.2.3;            1.2.3;        true",
            "1.2.3;            1.2.4;        false",
            "1.2.3;            1.2.3-rc.1;   false",
            "=1.2.3;           1.2.3;        true",
            "=1.2.3;           1.2.3+build;  true",
            "v1.2.3;           1.2.3;        true",
            "= 1.2.3;          1.2.3;        true",
            // single comparators
            ">=1.2.3;          1.2.3;        true",
            ">=1.2.3;          1.2.2;        false",
            ">=1.2.3;          2.0.0;        true",
            ">= 2.0.0;         2.0.0;        true",
            ">=   2.0.0;       1.9.9;        false",
            ">1.2.3;           1.2.3;        false",
            ">1.2.3;           1.2.4;        true",
            ">1.2;             1.2.9;        false",
            ">1.2;             1.3.0;        true",
            ">1;               1.9.9;        false",
            ">1;               2.0.0;        true",
            ">=1.2;            1.2.0;        true",
            ">=1;              0.9.9;        false",
            "<=2;              2.9.9;        true",
            "<=2;              3.0.0;        false",
            "<=2.1;            2.1.7;        true",
            "<=2.1;            2.2.0;        false",
            "<=2.0.0;          2.0.0;        true",
            "<=2.0.0;          2.0.1;        false",
            "<3.0.0;           2.99.99;      true",
            "<3.0.0;           3.0.0;        false",
            "<3.0.0;           3.0.0-rc.1;   false",
            "<3;               2.9.9;        true",
            "<3;               3.0.0;        false",
            "<1.2;             1.1.9;        true",
            "<1.2;             1.2.0;        false",
            "< 1.2;            1.2.0;        false",
            ">=1.2.3+build.1;  1.2.3;        true",
            // conjunctions
            ">=2.0.0 <3;       2.0.0;        true",
            ">=2.0.0 <3;       2.9.9;        true",
            ">=2.0.0 <3;       3.0.0;        false",
            ">=2.0.0 <3;       1.9.9;        false",
            ">=2.0.0 <3;       3.0.0-alpha;  false",
            ">= 2.0.0  < 3;    2.5.0;        true",
            ">1.0.0 <1.0.1;    1.0.0;        false",
            ">=1.0.0 <=1.0.0;  1.0.0;        true",
            // alternatives
            "^1.2 || >=3;      1.2.0;        true",
            "^1.2 || >=3;      1.5.0;        true",
            "^1.2 || >=3;      1.1.9;        false",
            "^1.2 || >=3;      2.0.0;        false",
            "^1.2 || >=3;      3.0.0;        true",
            "^1.2 || >=3;      4.1.0;        true",
            "^1.2 || >=3;      3.0.0-rc.1;   false",
            "1.0.0||2.0.0;     2.0.0;        true",
            "1.0.0||2.0.0;     1.5.0;        false",
            "<1 || >2 || =1.5.0; 1.5.0;      true",
            // caret
            "^1.2.3;           1.2.3;        true",
            "^1.2.3;           1.9.9;        true",
            "^1.2.3;           2.0.0;        false",
            "^1.2.3;           1.2.2;        false",
            "^0.2.3;           0.2.3;        true",
            "^0.2.3;           0.2.9;        true",
            "^0.2.3;           0.3.0;        false",
            "^0.2.3;           0.2.2;        false",
            "^0.0.3;           0.0.3;        true",
            "^0.0.3;           0.0.4;        false",
            "^0.0.3;           0.0.2;        false",
            "^1.2;             1.2.0;        true",
            "^1.2;             1.99.0;       true",
            "^1.2;             2.0.0;        false",
            "^1.2;             1.1.0;        false",
            "^0.2;             0.2.5;        true",
            "^0.2;             0.3.0;        false",
            "^0.0;             0.0.9;        true",
            "^0.0;             0.1.0;        false",
            "^0;               0.9.9;        true",
            "^0;               1.0.0;        false",
            "^1;               1.0.0;        true",
            "^1;               2.0.0;        false",
            "^1.x;             1.7.0;        true",
            "^ 1.2.3;          1.5.0;        true",
            "^*;               9.9.9;        true",
            // tilde
            "~1.2.3;           1.2.3;        true",
            "~1.2.3;           1.2.9;        true",
            "~1.2.3;           1.3.0;        false",
            "~1.2.3;           1.2.2;        false",
            "~1.2;             1.2.0;        true",
            "~1.2;             1.3.0;        false",
            "~1;               1.9.0;        true",
            "~1;               2.0.0;        false",
            "~0.2.3;           0.2.4;        true",
            "~0.2.3;           0.3.0;        false",
            // x-ranges
            "1.x;              1.0.0;        true",
            "1.x;              1.9.9;        true",
            "1.x;              2.0.0;        false",
            "1.x;              0.9.9;        false",
            "1.X;              1.5.0;        true",
            "1.x.x;            1.3.0;        true",
            "1.2.*;            1.2.0;        true",
            "1.2.*;            1.2.9;        true",
            "1.2.*;            1.3.0;        false",
            "1.2.x;            1.1.9;        false",
            "1;                1.5.0;        true",
            "1;                2.0.0;        false",
            "1.2;              1.2.5;        true",
            "1.2;              1.3.0;        false",
            "=1.2;             1.2.5;        true",
            "x;                5.0.0;        true",
            ">=*;              5.0.0;        true",
            ">*;               5.0.0;        false",
            "<*;               0.0.0;        false",
            "<=1.x;            1.9.9;        true",
            "<=1.x;            2.0.0;        false",
            // hyphen ranges
            "1.2.3 - 2.3.4;    1.2.3;        true",
            "1.2.3 - 2.3.4;    2.3.4;        true",
            "1.2.3 - 2.3.4;    2.3.5;        false",
            "1.2.3 - 2.3.4;    1.2.2;        false",
            "1.2 - 2.3;        1.2.0;        true",
            "1.2 - 2.3;        2.3.9;        true",
            "1.2 - 2.3;        2.4.0;        false",
            "1.2 - 2.3;        1.1.9;        false",
            "1.2.3 - 2;        2.9.9;        true",
            "1.2.3 - 2;        3.0.0;        false",
            "* - 2.0.0;        0.0.1;        true",
            "* - 2.0.0;        2.0.1;        false",
            "1.0.0 - 2.0.0 || 3.x; 3.1.0;    true",
            "1.0.0 - 2.0.0 || 3.x; 2.5.0;    false",
    })
    void matchesVersions(String constraint, String version, boolean expected) {
        VersionConstraint c = VersionConstraint.parse(constraint);
        assertEquals(expected, c.matches(Version.parse(version)), constraint + " vs " + version);
        assertEquals(expected, c.matches(version), "string form: " + constraint + " vs " + version);
    }

    /** npm's rule: a pre-release satisfies an alternative only if a comparator there names a pre-release of it. */
    @ParameterizedTest(name = "''{0}'' matches {1}: {2}")
    @CsvSource(delimiter = ';', value = {
            ">=1.0.0-beta;               1.0.0-rc.1;     true",
            ">=1.0.0-beta;               1.0.0-beta;     true",
            ">=1.0.0-beta;               1.0.0-alpha;    false",
            ">=1.0.0-beta;               1.0.1-rc.1;     false",
            ">=1.0.0-beta;               1.0.1;          true",
            ">=1.0.0;                    1.0.1-rc.1;     false",
            ">=1.0.0;                    2.0.0-rc.1;     false",
            "^1.2.3-beta.2;              1.2.3-beta.4;   true",
            "^1.2.3-beta.2;              1.2.3-beta.1;   false",
            "^1.2.3-beta.2;              1.2.3;          true",
            "^1.2.3-beta.2;              1.2.4-beta.1;   false",
            "^1.2.3-beta.2;              1.9.0;          true",
            "^0.0.3-beta;                0.0.3-pr.2;     true",
            "^0.0.3-beta;                0.0.4;          false",
            "~1.2.3-beta.2;              1.2.3-beta.4;   true",
            "~1.2.3-beta.2;              1.2.4-beta.2;   false",
            ">1.2.3-alpha.3;             1.2.3-alpha.7;  true",
            ">1.2.3-alpha.3;             1.2.3-alpha.3;  false",
            ">1.2.3-alpha.3;             3.4.5-alpha.9;  false",
            ">1.2.3-alpha.3;             3.4.5;          true",
            "1.2.3-rc.1;                 1.2.3-rc.1;     true",
            "1.2.3-rc.1;                 1.2.3-rc.2;     false",
            "1.2.3-rc.1 - 1.2.3;         1.2.3-rc.2;     true",
            "1.2.3 - 1.2.4-rc.1;         1.2.4-rc.0;     true",
            "1.2.3 - 1.2.4-rc.1;         1.2.4-rc.2;     false",
            "<1.2.3-rc.2 >=1.2.3-rc.1;   1.2.3-rc.1;     true",
            "<2.0.0 || >=2.0.0-rc.1 <2.0.0; 2.0.0-rc.2;  true",
            "<2.0.0 || >=2.0.0-rc.1 <2.0.0; 2.0.0-beta;  false",
            "1.x;                        1.0.0-rc.1;     false",
            "1.x;                        2.0.0-rc.1;     false",
            "^1.2.3;                     2.0.0-rc.1;     false",
            "<=2;                        3.0.0-rc.1;     false",
            "~1.2;                       1.3.0-0;        false",
    })
    void preReleasesFollowNpm(String constraint, String version, boolean expected) {
        assertEquals(expected, VersionConstraint.parse(constraint).matches(Version.parse(version)),
                constraint + " vs " + version);
    }

    @ParameterizedTest(name = "''{0}'' is unconstrained")
    @ValueSource(strings = {"*", "", "   ", "x", "X", "* || 1.x", ">=1 || *", "^*", "~x", ">=*", "<=*", "* *"})
    void unboundedConstraintsAcceptEverything(String constraint) {
        VersionConstraint c = VersionConstraint.parse(constraint);
        assertTrue(c.isAny());
        assertTrue(c.matches(Version.parse("0.0.0")));
        assertTrue(c.matches(Version.parse("99.1.0-rc.1")), "even pre-releases");
        assertTrue(c.matches("latest"), "even non-semver versions");
        assertTrue(c.matches((String) null), "even a missing version");
        assertTrue(c.matches((Version) null));
    }

    @Test
    void starAndBlankParseToAny() {
        assertSame(VersionConstraint.ANY, VersionConstraint.parse("*"));
        assertSame(VersionConstraint.ANY, VersionConstraint.parse(""));
        assertSame(VersionConstraint.ANY, VersionConstraint.parse(" \t "));
        assertSame(VersionConstraint.ANY, VersionConstraint.parse(" * "));
        assertEquals("*", VersionConstraint.ANY.toString());
        assertFalse(VersionConstraint.parse(">=1").isAny());
    }

    @Test
    void versionStringsThatAreNotSemverMatchOnlyAny() {
        VersionConstraint c = VersionConstraint.parse(">=1.0.0");
        assertFalse(c.matches("latest"));
        assertFalse(c.matches("1.0.0.0"));
        assertFalse(c.matches(""));
        assertFalse(c.matches((String) null));
        assertFalse(c.matches((Version) null));
        assertTrue(c.matches("v1.2"), "lenient forms still count as versions");
        assertTrue(VersionConstraint.ANY.matches("latest"));
    }

    @Test
    void toStringIsTheTextAndEqualityIsTextual() {
        VersionConstraint c = VersionConstraint.parse("  >=1.2.3 <2 ");
        assertEquals(">=1.2.3 <2", c.toString());
        assertEquals(c, VersionConstraint.parse(">=1.2.3 <2"));
        assertEquals(c.hashCode(), VersionConstraint.parse(">=1.2.3 <2").hashCode());
        assertNotEquals(c, VersionConstraint.parse(">=1.2.3 <2.0.0"));
        assertEquals("^1.2 || >=3", VersionConstraint.parse("^1.2 || >=3").toString());
    }

    @ParameterizedTest(name = "''{0}'' is rejected ({1})")
    @CsvSource(delimiter = ';', value = {
            ">=;                  operator '>=' needs a version",
            "1.2.3 >;             operator '>' needs a version",
            "1.2.3 -;             needs a version after '-'",
            "1.2.3 - >2;          plain versions without operators",
            "- 1.2.3;             '-' needs a version on both sides",
            ">=1.2.3 - 2;         plain versions without operators",
            "1.2.3 - >=;          needs a version after '-'",
            "=>1.2.3;             unknown operator '=>'",
            "><1;                 unknown operator '><'",
            "==1;                 unknown operator '=='",
            "~>1.2;               unknown operator '~>'",
            "1.2.3 ||;            alternative around '||' is empty",
            "|| 1.2.3;            alternative around '||' is empty",
            "1 |||| 2;            alternative around '||' is empty",
            "1.2.3 | 2;           single '|'",
            "1.x.3;               number after a wildcard",
            "*.2;                 number after a wildcard",
            "1.x-rc.1;            mixes a wildcard with a pre-release",
            "1.2.3.4;             at most three numbers",
            "1.x.x.x;             more than three numbers",
            ">=a.b.c;             expected a number",
            "latest;              expected a number",
            ">=01.2.3;            leading zero",
            "^1.2-rc.1;           needs all three numbers",
            ">=1.2.3-;            is empty",
            ">=1.0.0,<2.0.0;      unexpected ','",
            "^2147483647.0.0;     too large",
            "2147483647;          too large",
    })
    void rejectsInvalidConstraintsSayingWhichPartIsWrong(String text, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VersionConstraint.parse(text));
        assertTrue(e.getMessage().startsWith("invalid version constraint '" + text.strip() + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("'>=1.2.3 <2.0.0'"), "shows a valid example: " + e.getMessage());
    }

    @Test
    void parseOfNullFailsFast() {
        assertThrows(NullPointerException.class, () -> VersionConstraint.parse(null));
    }

    @Test
    void matchingDoesNotAllocate() throws ReflectiveOperationException {
        VersionConstraint c = VersionConstraint.parse("^1.2 || >=3.0.0-rc.1 <3.1 || 1.2.3 - 1.4.x");
        Version release = Version.parse("1.9.0");
        Version pre = Version.parse("3.0.0-rc.2");
        Version miss = Version.parse("2.5.0");
        BooleanSupplier call = () -> c.matches(release) & c.matches(pre) & !c.matches(miss);
        assertTrue(call.getAsBoolean());
        assertTrue(allocatedBytes(100_000, call) < 64 * 1024, "matches(Version) must not allocate per call");
    }

    /**
     * Bytes this thread allocates while making the call {@code iterations} times (after a warm-up). One allocation
     * per call would show up as megabytes; the margin only absorbs the measurement's own noise.
     */
    static long allocatedBytes(int iterations, BooleanSupplier call) throws ReflectiveOperationException {
        // Reflection because test code compiles inside dev.mcpgateway.core, which does not read java.management.
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                .invoke(null);
        Method allocatedSoFar = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getCurrentThreadAllocatedBytes");
        boolean all = true;
        for (int i = 0; i < iterations; i++) {
            all &= call.getAsBoolean();
        }
        long before = (long) allocatedSoFar.invoke(threads);
        for (int i = 0; i < iterations; i++) {
            all &= call.getAsBoolean();
        }
        long allocated = (long) allocatedSoFar.invoke(threads) - before;
        assertTrue(before > 0, "this JVM reports per-thread allocation");
        assertTrue(all, "every call returned true");
        return allocated;
    }
}
