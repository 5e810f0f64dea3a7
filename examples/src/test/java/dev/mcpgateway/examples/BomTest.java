package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * gateway-bom has no parent (so that importing it pins none of the third-party libraries), which leaves its list and
 * version to be kept by hand: it must name exactly the modules the build publishes, at the reactor's version.
 */
class BomTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern MANAGED = Pattern.compile(
            "<dependency>\\s*<groupId>dev\\.mcpgateway</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*"
                    + "<version>([^<]+)</version>\\s*</dependency>");

    @Test
    void theBomManagesEveryPublishedModuleAndNothingElse() throws IOException {
        List<String> published = new ArrayList<>();
        Matcher modules = MODULE.matcher(Files.readString(REPO.resolve("pom.xml")));
        while (modules.find()) {
            String pom = Files.readString(REPO.resolve(modules.group(1)).resolve("pom.xml"));
            boolean library = !pom.contains("<packaging>pom</packaging>");
            boolean deployed = !pom.contains("<maven.deploy.skip>true</maven.deploy.skip>");
            if (library && deployed) {
                published.add(modules.group(1));
            }
        }
        assertFalse(published.isEmpty());

        List<String> managed = new ArrayList<>();
        Matcher dependencies = MANAGED.matcher(bom());
        while (dependencies.find()) {
            managed.add(dependencies.group(1));
            assertEquals("${project.version}", dependencies.group(2), dependencies.group(1));
        }
        assertEquals(published, managed);
    }

    @Test
    void theBomHasTheReactorsVersion() throws IOException {
        assertEquals(version(Files.readString(REPO.resolve("pom.xml"))), version(bom()));
    }

    private static String bom() throws IOException {
        return Files.readString(REPO.resolve("gateway-bom/pom.xml"));
    }

    /** The version after the first artifactId: the project's own, in these two poms without a parent. */
    private static String version(String pom) {
        Matcher version = Pattern.compile("</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(version.find(), "no version");
        return version.group(1);
    }
}
