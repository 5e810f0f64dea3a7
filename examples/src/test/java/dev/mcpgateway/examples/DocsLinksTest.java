package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every link in the repository's Markdown resolves: a relative link names a file or directory inside the repository
 * (never outside it, as {@code ../shared/...} would be in any clone), and a {@code #anchor} names a heading of the
 * file it points at. Links to {@code http(s):} and {@code mailto:} are not followed.
 */
class DocsLinksTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    /** An inline link or image: {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern LINK = Pattern.compile("\\]\\(<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^\\s*```.*?^\\s*```\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\n]*`");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkInEveryMarkdownFileResolvesInsideTheRepository() throws IOException {
        List<Path> documents = markdownFiles();
        assertTrue(documents.contains(REPO.resolve("README.md")), "found the README: " + documents);
        assertTrue(documents.contains(REPO.resolve("docs/ARCHITECTURE.md")), "found docs/: " + documents);
        List<String> broken = new ArrayList<>();
        for (Path document : documents) {
            Matcher link = LINK.matcher(prose(Files.readString(document)));
            while (link.find()) {
                String problem = problem(document, link.group(1));
                if (problem != null) {
                    broken.add(REPO.relativize(document) + ": " + link.group(1) + " " + problem);
                }
            }
        }
        assertEquals(List.of(), broken, "broken links");
    }

    @Test
    void anchorsAreGitHubHeadingSlugs() {
        assertEquals(Set.of("a-tour", "set-up", "the-life-of-a-tool-call", "mcp_gateway-v2--the-api"),
                slugs("## A tour\n## Set-up\n### The life of a tool call\n# `MCP_GATEWAY` v2 — the API\n"));
    }

    /** What is wrong with a link from {@code document}, or null if nothing. */
    private static String problem(Path document, String target) {
        if (target.matches("(?i)(https?|mailto):.*")) {
            return null;
        }
        if (target.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
            return "uses a scheme other than http(s) or mailto";
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
        if (!resolved.startsWith(REPO)) {
            return "points outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "names no file";
        }
        if (anchor != null && resolved.toString().endsWith(".md")) {
            try {
                if (!slugs(Files.readString(resolved)).contains(anchor)) {
                    return "names no heading of " + REPO.relativize(resolved);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return null;
    }

    /** The anchors GitHub gives a document's headings (a repeated heading's -1, -2... left out). */
    private static Set<String> slugs(String markdown) {
        Set<String> slugs = new HashSet<>();
        Matcher heading = HEADING.matcher(FENCE.matcher(markdown).replaceAll(""));
        while (heading.find()) {
            String text = heading.group(1).replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
            slugs.add(text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return slugs;
    }

    /** The text outside code blocks and code spans, where a link is a link. */
    private static String prose(String markdown) {
        return CODE_SPAN.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("``");
    }

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> files = Files.walk(REPO)) {
            return files.filter(file -> file.toString().endsWith(".md"))
                    .filter(file -> {
                        Path relative = REPO.relativize(file);
                        for (Path part : relative) {
                            String name = part.toString();
                            if (name.equals("node_modules") || name.equals("target") || name.startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted()
                    .toList();
        }
    }
}
