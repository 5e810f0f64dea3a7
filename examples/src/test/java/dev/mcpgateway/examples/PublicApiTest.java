package dev.mcpgateway.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public surface of the published modules, recorded in docs/public-api.txt: every public type (nested ones too)
 * of every package a module exports to everyone. A type that appears or disappears fails this test until the file
 * says so, so the API changes only on purpose and a reviewer sees it change. Packages exported only to the
 * gateway's own modules ({@code internal}) are not part of it.
 */
class PublicApiTest {
    private static final Path RECORDED = Path.of("..", "docs", "public-api.txt");
    private static final List<String> HEADER = List.of(
            "# The public types of the published modules (module: binary name), checked by PublicApiTest.",
            "# Everything else, dev.mcpgateway.internal.* included, may change without notice.");
    private static final List<String> MODULES = List.of("gateway-core", "gateway-transport-stdio",
            "gateway-transport-http", "gateway-persistence");

    /** The public types of a module's unqualified exports, as {@code module: binary name}, sorted. */
    static Set<String> publicTypes(String moduleDir) throws IOException {
        Path classes = Path.of("..", moduleDir, "target", "classes");
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        Set<String> exported = descriptor.exports().stream().filter(export -> !export.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        Set<String> types = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                int dot = name.lastIndexOf('.');
                if (dot < 0 || !exported.contains(name.substring(0, dot)) || name.endsWith("package-info")) {
                    continue;
                }
                if (isPublicAllTheWay(name)) {
                    types.add(descriptor.name() + ": " + name);
                }
            }
        }
        return types;
    }

    /** Whether a type and every type enclosing it are public (so code outside the module can name it). */
    private static boolean isPublicAllTheWay(String binaryName) {
        try {
            for (Class<?> type = Class.forName(binaryName, false, PublicApiTest.class.getClassLoader()); type != null;
                 type = type.getEnclosingClass()) {
                if (!Modifier.isPublic(type.getModifiers()) || type.isAnonymousClass() || type.isLocalClass()) {
                    return false;
                }
            }
            return true;
        } catch (ClassNotFoundException e) {
            throw new AssertionError("a compiled class the test cannot load: " + binaryName, e);
        }
    }

    @Test
    void thePublicTypesAreTheRecordedOnes() throws IOException {
        List<String> actual = new ArrayList<>();
        for (String module : MODULES) {
            actual.addAll(publicTypes(module));
        }
        if (Boolean.getBoolean("publicApi.record")) {
            List<String> file = new ArrayList<>(HEADER);
            file.addAll(actual);
            Files.write(RECORDED, file);
        }
        List<String> recorded = Files.readAllLines(RECORDED).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertEquals(recorded, actual, "the public API changed: if on purpose, record it (./mvnw test -pl examples -am"
                + " -Dtest=PublicApiTest -Dsurefire.failIfNoSpecifiedTests=false -DpublicApi.record=true) and say why"
                + " in the commit");
    }
}
