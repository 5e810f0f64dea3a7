/**
 * MCP Gateway persistence: a PostgreSQL {@link dev.mcpgateway.registry.RegistryStore} with HikariCP and Flyway, and
 * change events between gateways over Redis pub/sub (Jedis).
 */
module dev.mcpgateway.persistence {
    // Transitive: its stores implement core interfaces (RegistryStore, SessionStore) that hosts hand the gateway.
    requires transitive dev.mcpgateway.core;
    requires java.sql;
    requires org.slf4j;
    requires com.zaxxer.hikari;
    // Automatic modules (no module-info of their own): their names come from the jar manifests or file names.
    requires org.postgresql.jdbc;
    requires flyway.core;
    requires redis.clients.jedis;
    // Not used in code: Flyway finds its PostgreSQL support through ServiceLoader, so it must be on the module graph.
    requires flyway.database.postgresql;

    exports dev.mcpgateway.persistence;
}
