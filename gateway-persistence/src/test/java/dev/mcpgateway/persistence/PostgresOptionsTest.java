package dev.mcpgateway.persistence;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresOptionsTest {

    @Test
    void defaultsAreALocalServerWithFailFastTimeouts() {
        PostgresOptions options = PostgresOptions.builder().build();
        assertAll(
                () -> assertEquals("jdbc:postgresql://localhost:5432/mcp_gateway", options.jdbcUrl()),
                () -> assertEquals("postgres", options.user()),
                () -> assertNull(options.password()),
                () -> assertEquals("mcp_gateway", options.schema()),
                () -> assertEquals(4, options.maximumPoolSize()),
                () -> assertEquals(Duration.ofSeconds(2), options.connectionTimeout()),
                () -> assertEquals(Duration.ofSeconds(2), options.statementTimeout()),
                () -> assertEquals("localhost:5432/mcp_gateway", options.target()));
    }

    @Test
    void theEnvironmentNamesServerDatabaseUserPasswordAndSchema() {
        PostgresOptions options = PostgresOptions.fromEnvironment(Map.of(
                "POSTGRES_HOST", "db.internal", "POSTGRES_PORT", "6543", "POSTGRES_DB", "gw",
                "POSTGRES_USER", "gateway", "POSTGRES_PASSWORD", "hunter2-secret", "POSTGRES_SCHEMA", "registry"))
                .build();
        assertAll(
                () -> assertEquals("jdbc:postgresql://db.internal:6543/gw", options.jdbcUrl()),
                () -> assertEquals("gateway", options.user()),
                () -> assertEquals("hunter2-secret", options.password()),
                () -> assertEquals("registry", options.schema()));
    }

    @Test
    void anEmptyEnvironmentGivesTheDefaults() {
        assertEquals(PostgresOptions.builder().build(),
                PostgresOptions.fromEnvironment(Map.of("POSTGRES_HOST", " ", "POSTGRES_PASSWORD", "")).build());
    }

    @Test
    void anIpv6HostGoesInBrackets() {
        assertEquals("jdbc:postgresql://[::1]:5432/mcp_gateway",
                PostgresOptions.builder().host("::1").build().jdbcUrl());
    }

    @Test
    void thePasswordIsNeverShown() {
        PostgresOptions options = PostgresOptions.builder().password("hunter2-secret")
                .jdbcUrl("jdbc:postgresql://db:5432/gw?sslmode=require&password=url-secret").build();
        String shown = options.toString();
        assertAll(
                () -> assertFalse(shown.contains("hunter2-secret"), shown),
                () -> assertFalse(shown.contains("url-secret"), shown),
                () -> assertTrue(shown.contains("password=****"), shown),
                () -> assertEquals("db:5432/gw", options.target()));
    }

    @Test
    void wrongValuesAreRefusedWithAMessageNamingThem() {
        assertMessage("POSTGRES_PORT must be a port number between 1 and 65535, was 'abc'",
                () -> PostgresOptions.fromEnvironment(Map.of("POSTGRES_PORT", "abc")));
        assertMessage("POSTGRES_PORT must be a port number between 1 and 65535, was '70000'",
                () -> PostgresOptions.fromEnvironment(Map.of("POSTGRES_PORT", "70000")));
        assertMessage("jdbcUrl must be a PostgreSQL JDBC URL starting with jdbc:postgresql: "
                        + "(was 'jdbc:mysql://db/x?password=****')",
                () -> PostgresOptions.builder().jdbcUrl("jdbc:mysql://db/x?password=oops").build());
        assertMessage("schema must be a lower-case PostgreSQL identifier of at most 63 characters (letters, digits, "
                + "_; not starting with a digit), was 'Mcp-Gateway'",
                () -> PostgresOptions.builder().schema("Mcp-Gateway").build());
        assertMessage("maximumPoolSize must be between 1 and 100, was 0",
                () -> PostgresOptions.builder().maximumPoolSize(0).build());
        assertMessage("connectionTimeout must be at least 250 ms, was PT0.1S",
                () -> PostgresOptions.builder().connectionTimeout(Duration.ofMillis(100)).build());
        assertMessage("statementTimeout must be at least 1 ms (PostgreSQL reads 0 as no limit), was PT0S",
                () -> PostgresOptions.builder().statementTimeout(Duration.ZERO).build());
        assertMessage("host must be a host name or address, was 'db/x'",
                () -> PostgresOptions.builder().host("db/x"));
        assertMessage("database must be a database name, was 'a?b'",
                () -> PostgresOptions.builder().database("a?b"));
    }

    private static void assertMessage(String expected, Runnable build) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, build::run).getMessage());
    }
}
