package dev.mcpgateway.persistence.internal.postgres;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Brings the store's schema up to date with Flyway, before the store serves. */
public final class Migrations {
    /**
     * Where the migrations are. Not a Java package name (it has a hyphen), so that the module system does not
     * encapsulate the files when the gateway runs on the module path.
     */
    static final String LOCATION = "classpath:db/mcp-gateway-postgresql";

    private Migrations() {
    }

    /**
     * Creates {@code schema} when it is missing and applies the migrations it lacks. Flyway holds a PostgreSQL
     * advisory lock while it migrates, so gateways that start at once take turns: the first migrates, the others
     * find nothing left to do.
     *
     * @return how many migrations were applied (0 when the schema was up to date)
     */
    public static int migrate(DataSource dataSource, String schema) {
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .schemas(schema)
                .createSchemas(true)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .cleanDisabled(true)
                .load();
        return flyway.migrate().migrationsExecuted;
    }
}
