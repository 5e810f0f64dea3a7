package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/CONFORMANCE.md} honest: every table row outside its Gaps section names at least one test, every
 * test a row names ({@code `Class.method`} in the Test column) is a method of that name annotated as a test in a
 * {@code Class.java} under some module's {@code src/test/java}, every source file a row names
 * ({@code `module/.../path.java`}) exists, and the row ids the changelog walk-through points to exist. Textual
 * checks only: no gateway is started.
 */
class ConformanceDocTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOC = REPO.resolve("docs/CONFORMANCE.md");
    private static final Pattern TEST_REF = Pattern.compile("`([A-Z][A-Za-z0-9_]*)\\.([a-z][A-Za-z0-9_]*)`");
    private static final Pattern SOURCE_REF = Pattern.compile("`([a-z0-9-]+)/\\.\\.\\./([A-Za-z0-9_/]+\\.java)`");
    private static final Pattern SEPARATOR_ROW = Pattern.compile("\\|?(\\s*:?-{3,}:?\\s*\\|)+\\s*:?-*:?\\s*");
    private static final Pattern ROW_ID = Pattern.compile("[A-Z]{1,2}\\d{1,3}");
    private static final String TEST_ANNOTATION = "@(?:Test|ParameterizedTest|RepeatedTest)\\b";

    /** One data row of a table: where it is, its cells, and the header cells of its table. */
    private record Row(int line, String section, boolean inGaps, List<String> header, List<String> cells) {
        String cell(String column) {
            int index = header.indexOf(column);
            return index >= 0 && index < cells.size() ? cells.get(index) : "";
        }

        String where() {
            return "docs/CONFORMANCE.md:" + line + " (row " + cells.getFirst() + " in '" + section + "')";
        }
    }

    private static List<String> lines;
    private static List<Row> rows;
    /** Test sources by simple class name (a name may exist in several modules). */
    private static Map<String, List<Path>> testSources;

    @BeforeAll
    static void read() throws IOException {
        assertTrue(Files.isRegularFile(DOC), "missing " + DOC);
        lines = Files.readAllLines(DOC);
        rows = rows(lines);
        testSources = new HashMap<>();
        try (Stream<Path> modules = Files.list(REPO)) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                Path tests = module.resolve("src/test/java");
                if (!Files.isDirectory(tests)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(tests)) {
                    files.filter(file -> file.toString().endsWith(".java")).forEach(file -> testSources
                            .computeIfAbsent(file.getFileName().toString().replace(".java", ""), k -> new ArrayList<>())
                            .add(file));
                }
            }
        }
    }

    /** The data rows of every table, each with the header of its table and the {@code ##} section it is in. */
    private static List<Row> rows(List<String> lines) {
        List<Row> found = new ArrayList<>();
        String section = "(top)";
        List<String> header = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("## ")) {
                section = line.substring(3).strip();
            }
            if (!line.startsWith("|")) {
                header = null;
                continue;
            }
            if (header == null) {
                header = cells(line);
                String next = i + 1 < lines.size() ? lines.get(i + 1).strip() : "";
                assertTrue(SEPARATOR_ROW.matcher(next).matches(), "docs/CONFORMANCE.md:" + (i + 1)
                        + ": a table's header must be followed by its |---| row");
                i++;
                continue;
            }
            found.add(new Row(i + 1, section, section.toLowerCase().startsWith("gaps"), header, cells(line)));
        }
        return found;
    }

    private static List<String> cells(String row) {
        String inner = row.substring(1, row.endsWith("|") && row.length() > 1 ? row.length() - 1 : row.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    private static List<String[]> testRefs(String cell) {
        List<String[]> refs = new ArrayList<>();
        Matcher matcher = TEST_REF.matcher(cell);
        while (matcher.find()) {
            refs.add(new String[] {matcher.group(1), matcher.group(2)});
        }
        return refs;
    }

    @Test
    void everyTableHasATestColumnAndEveryRowIsComplete() {
        assertTrue(rows.size() >= 50, "docs/CONFORMANCE.md has only " + rows.size() + " table rows");
        Set<String> ids = new HashSet<>();
        for (Row row : rows) {
            assertTrue(row.header().contains("Test"), row.where() + ": its table has no 'Test' column");
            assertEquals(row.header().size(), row.cells().size(), row.where() + ": has " + row.cells().size()
                    + " cells, its table " + row.header().size() + " (a '|' inside a cell?)");
            assertTrue(ROW_ID.matcher(row.cells().getFirst()).matches(), row.where() + ": the first cell must be an"
                    + " id such as H12");
            assertTrue(ids.add(row.cells().getFirst()), row.where() + ": the id is used twice");
            assertFalse(row.cell("Status").isEmpty(), row.where() + ": says nothing in its Status column");
        }
    }

    @Test
    void everyRowOutsideTheGapsNamesATest() {
        List<String> untested = new ArrayList<>();
        for (Row row : rows) {
            if (!row.inGaps() && testRefs(row.cell("Test")).isEmpty()) {
                untested.add(row.where() + " names no test as `Class.method`; if nothing proves it, move it to Gaps");
            }
        }
        assertEquals(List.of(), untested);
        assertTrue(rows.stream().anyMatch(Row::inGaps), "docs/CONFORMANCE.md has no Gaps section with a table");
    }

    @Test
    void everyNamedTestExistsAsAnAnnotatedTestMethod() throws IOException {
        Map<Path, String> texts = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        for (Row row : rows) {
            for (String[] ref : testRefs(row.cell("Test"))) {
                String name = ref[0] + "." + ref[1];
                List<Path> files = testSources.get(ref[0]);
                if (files == null) {
                    wrong.add(row.where() + ": " + name + ": no " + ref[0] + ".java under any */src/test/java");
                    continue;
                }
                Pattern declared = Pattern.compile(TEST_ANNOTATION + "(?:(?!\\bvoid\\b|;).)*?\\bvoid\\s+"
                        + Pattern.quote(ref[1]) + "\\s*\\(", Pattern.DOTALL);
                boolean found = false;
                for (Path file : files) {
                    String text = texts.computeIfAbsent(file, ConformanceDocTest::readString);
                    found |= declared.matcher(text).find();
                }
                if (!found) {
                    wrong.add(row.where() + ": " + name + ": " + ref[0] + ".java declares no @Test method '" + ref[1]
                            + "'");
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyNamedSourceFileExists() {
        List<String> missing = new ArrayList<>();
        for (Row row : rows) {
            Matcher matcher = SOURCE_REF.matcher(String.join(" | ", row.cells()));
            while (matcher.find()) {
                Path file = REPO.resolve(matcher.group(1)).resolve("src/main/java/dev/mcpgateway").resolve(matcher.group(2));
                if (!Files.isRegularFile(file)) {
                    missing.add(row.where() + ": " + matcher.group() + " is not " + REPO.relativize(file));
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void theChangelogWalkThroughPointsToRowsThatExist() {
        Set<String> ids = new HashSet<>();
        rows.forEach(row -> ids.add(row.cells().getFirst()));
        List<String> dangling = new ArrayList<>();
        boolean inChangelog = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                inChangelog = line.toLowerCase().contains("changelog");
                continue;
            }
            if (!inChangelog) {
                continue;
            }
            Matcher matcher = Pattern.compile("\\b" + ROW_ID.pattern() + "\\b").matcher(line);
            while (matcher.find()) {
                if (!ids.contains(matcher.group())) {
                    dangling.add("docs/CONFORMANCE.md:" + (i + 1) + ": no row " + matcher.group());
                }
            }
        }
        assertEquals(List.of(), dangling);
    }

    @Test
    void thePageStandsOnItsOwn() {
        String text = String.join("\n", lines);
        assertFalse(text.contains("../shared") || text.contains("shared/design"),
                "docs/CONFORMANCE.md must not point to the design notes outside the repository");
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
