package dev.mcpgateway.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where Redis is and which channel: defaults, the environment, a masked password, refused values. */
class RedisOptionsTest {

    @Test
    void theDefaultsAreLocalhostAndTheChannelOfTheDefaultSchema() {
        RedisOptions options = RedisOptions.builder().build();
        assertEquals("localhost:6379", options.target());
        assertEquals("mcp-gateway:registry:mcp_gateway", options.channel());
        assertEquals(null, options.password());
    }

    @Test
    void theEnvironmentNamesHostPortPasswordAndTheSchemaWhoseChannelItIs() {
        RedisOptions options = RedisOptions.fromEnvironment(Map.of("REDIS_HOST", "redis.internal", "REDIS_PORT", "6380",
                "REDIS_PASSWORD", "s3cret", "POSTGRES_SCHEMA", "tenant_a")).build();
        assertEquals("redis.internal:6380", options.target());
        assertEquals("s3cret", options.password());
        assertEquals("mcp-gateway:registry:tenant_a", options.channel());
    }

    @Test
    void toStringNeverShowsThePassword() {
        String shown = RedisOptions.builder().password("s3cret").build().toString();
        assertFalse(shown.contains("s3cret"), shown);
        assertTrue(shown.contains("password=****"), shown);
    }

    @Test
    void aWrongValueIsRefusedNamingIt() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> RedisOptions.fromEnvironment(Map.of("REDIS_PORT", "redis")));
        assertTrue(port.getMessage().startsWith("REDIS_PORT must be a port number"), port.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RedisOptions.builder().port(70000).build());
        assertThrows(IllegalArgumentException.class, () -> RedisOptions.builder().channel(" ").build());
    }
}
