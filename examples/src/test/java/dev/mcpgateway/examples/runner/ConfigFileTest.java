package dev.mcpgateway.examples.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** What the tests of the runner's YAML share: a directory for their files, and the messages a mistake gives. */
abstract class ConfigFileTest {
    static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    /** The message of the {@link IllegalArgumentException} a call fails with. */
    static String message(Executable parse) {
        return assertThrows(IllegalArgumentException.class, parse).getMessage();
    }

    /** Fails unless loading {@code yaml} from a file fails with exactly {@code expected}. */
    void assertError(String expected, String yaml) throws IOException {
        assertEquals(expected, message(yaml));
    }

    /** The one-line message loading {@code yaml} from a file fails with. */
    String message(String yaml) throws IOException {
        Path file = write("bad.yaml", yaml);
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, NO_ENV)).getMessage();
    }

    /** Writes a file in the test's directory. */
    Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }
}
