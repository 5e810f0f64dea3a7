package dev.mcpgateway.persistence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.audit.AuthFailure;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.persistence.internal.postgres.Migrations;
import dev.mcpgateway.persistence.internal.postgres.ReconnectingPool;
import dev.mcpgateway.registry.RegistryStore;
import dev.mcpgateway.registry.RegistryStoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RegistryStore} in PostgreSQL: the instances plugins registered over the management API, with their
 * leases and drains, in table {@code instances}, the routing rules replaced at run time in table {@code rule_sets},
 * and an audit trail of registrations, drains, rule replacements, health transitions and authentication failures,
 * each with who made it where known ({@link #attributedTo}), in table {@code audit}, all in the schema of
 * {@link PostgresOptions#schema()}. {@link #open(PostgresOptions)} brings the schema up to date with Flyway first.
 *
 * <p>Each change is one SQL statement, and so one transaction: the instance row and its audit row are written
 * together or not at all, whether the database fails, a statement times out or the gateway is killed mid-write.
 * A call that cannot be carried out throws {@link RegistryStoreUnavailableException} within about
 * {@link PostgresOptions#connectionTimeout()} plus {@link PostgresOptions#statementTimeout()}; the next call tries
 * the database again, so recovery needs nothing but the database answering. While it fails the store logs one
 * WARN, and one INFO once it answers again. Neither the messages nor the logs hold the password.
 *
 * <p>Thread-safe.
 */
public final class PostgresRegistryStore implements RegistryStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresRegistryStore.class);

    private final ReconnectingPool pool;
    private final String target;
    private final String put;
    private final String renew;
    private final String remove;
    private final String removeIfLapsed;
    private final String load;
    private final String drain;
    private final String loadRules;
    private final String putRules;
    private final String recordHealth;
    private final String recordAuthFailure;
    // False from the first failure until the next call that succeeds: the log says each change of state once.
    private final AtomicBoolean answering;
    /** The store this is a view of ({@link #attributedTo}), or null when this is the store itself. */
    private final PostgresRegistryStore root;
    /** Who the changes written through this store are audited as; null when unknown. */
    private final String actor;

    private PostgresRegistryStore(ReconnectingPool pool, PostgresOptions options) {
        this.pool = pool;
        this.answering = new AtomicBoolean(true);
        this.root = null;
        this.target = options.target();
        String s = options.schema();
        // Upsert and audit in one statement. xmax = 0 tells a new row (registered) from an updated one (replaced).
        this.put = "WITH kept AS (INSERT INTO " + s + ".instances AS i (id, plugin, lease_expires_at, registration,"
                + " drained) VALUES (?, ?, ?, ?::jsonb, ?) ON CONFLICT (id) DO UPDATE SET plugin = excluded.plugin,"
                + " lease_expires_at = excluded.lease_expires_at, registration = excluded.registration,"
                + " drained = excluded.drained, updated_at = now()"
                + " RETURNING i.id, i.plugin, i.registration, (i.xmax = 0) AS inserted)"
                + " INSERT INTO " + s + ".audit (action, instance_id, plugin, detail, actor)"
                + " SELECT CASE WHEN inserted THEN 'registered' ELSE 'replaced' END, id, plugin, registration, ?"
                + " FROM kept";
        // Renewals are heartbeats: frequent, and not audited.
        this.renew = "UPDATE " + s + ".instances SET lease_expires_at = ?, updated_at = now() WHERE id = ?";
        this.remove = "WITH gone AS (DELETE FROM " + s + ".instances WHERE id = ? RETURNING id, plugin)"
                + " INSERT INTO " + s + ".audit (action, instance_id, plugin, actor)"
                + " SELECT 'deregistered', id, plugin, ? FROM gone";
        // One statement, so a renewal through another gateway either lands first (the row stays) or waits for it. All
        // parts see the snapshot before the delete: "not deleted but there" means kept with a later lease (or none).
        this.removeIfLapsed = "WITH gone AS (DELETE FROM " + s + ".instances WHERE id = ? AND lease_expires_at <= ?"
                + " RETURNING id, plugin), audited AS (INSERT INTO " + s + ".audit (action, instance_id, plugin, actor)"
                + " SELECT 'evicted', id, plugin, ? FROM gone)"
                + " SELECT EXISTS (SELECT 1 FROM gone) OR NOT EXISTS (SELECT 1 FROM " + s + ".instances WHERE id = ?)";
        this.load = "SELECT id, plugin, lease_expires_at, registration::text, drained FROM " + s + ".instances"
                + " ORDER BY id";
        // Only a change is written and audited: a drain of a drained instance is none.
        this.drain = "WITH changed AS (UPDATE " + s + ".instances SET drained = ?, updated_at = now()"
                + " WHERE id = ? AND drained <> ? RETURNING id, plugin, drained)"
                + " INSERT INTO " + s + ".audit (action, instance_id, plugin, actor)"
                + " SELECT CASE WHEN drained THEN 'drained' ELSE 'undrained' END, id, plugin, ? FROM changed";
        this.loadRules = "SELECT version, rules::text FROM " + s + ".rule_sets WHERE id = 1";
        // One statement: the set, its next version and its audit row are written together or not at all. The row
        // lock taken by the upsert orders concurrent replacements, so versions never repeat.
        this.putRules = "WITH kept AS (INSERT INTO " + s + ".rule_sets AS r (id, version, rules)"
                + " VALUES (1, 1, ?::jsonb)"
                + " ON CONFLICT (id) DO UPDATE SET version = r.version + 1, rules = excluded.rules, updated_at = now()"
                + " RETURNING r.version, r.rules), audited AS (INSERT INTO " + s + ".audit"
                + " (action, detail, actor) SELECT 'rules-replaced', rules, ? FROM kept) SELECT version FROM kept";
        // Health is the gateway's own observation; which gateway saw it is in the detail.
        this.recordHealth = "INSERT INTO " + s + ".audit (action, instance_id, plugin, detail, actor)"
                + " VALUES ('health', ?, ?, ?::jsonb, 'gateway')";
        // The client is no actor: it is refused. Who it claimed to be, if anyone, is in the detail.
        this.recordAuthFailure = "INSERT INTO " + s + ".audit (action, detail) VALUES ('auth-failed', ?::jsonb)";
        this.actor = null;
    }

    /** {@code store} with its changes attributed to {@code actor}: the same connections and statements. */
    private PostgresRegistryStore(PostgresRegistryStore store, String actor) {
        this.pool = store.pool;
        this.target = store.target;
        this.put = store.put;
        this.renew = store.renew;
        this.remove = store.remove;
        this.removeIfLapsed = store.removeIfLapsed;
        this.load = store.load;
        this.drain = store.drain;
        this.loadRules = store.loadRules;
        this.putRules = store.putRules;
        this.recordHealth = store.recordHealth;
        this.recordAuthFailure = store.recordAuthFailure;
        this.answering = store.answering;
        this.root = store;
        this.actor = actor;
    }

    /**
     * Opens the store: creates its schema when missing and applies the migrations it lacks (safe when several
     * gateways open the same schema at once), then keeps a connection pool.
     *
     * @throws RegistryStoreUnavailableException when the database cannot be reached or migrated
     */
    public static PostgresRegistryStore open(PostgresOptions options) {
        Objects.requireNonNull(options, "options");
        ReconnectingPool pool = new ReconnectingPool(options);
        try {
            int applied = Migrations.migrate(pool.current(), options.schema());
            LOG.info("PostgreSQL registry store at {}, schema {}: {}", options.target(), options.schema(),
                    applied == 0 ? "schema up to date" : applied + " migration(s) applied");
            return new PostgresRegistryStore(pool, options);
        } catch (RuntimeException e) {
            pool.close();
            throw new RegistryStoreUnavailableException("could not open the PostgreSQL registry store at "
                    + options.target() + ", schema " + options.schema() + ": " + firstLine(e), e);
        }
    }

    @Override
    public List<Stored> load() {
        return call("load the registered instances", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(load);
                 ResultSet rows = statement.executeQuery()) {
                List<Stored> stored = new ArrayList<>();
                while (rows.next()) {
                    OffsetDateTime lease = rows.getObject(3, OffsetDateTime.class);
                    stored.add(new Stored(rows.getString(1), rows.getString(2),
                            lease == null ? null : lease.toInstant(), rows.getString(4), rows.getBoolean(5)));
                }
                return List.copyOf(stored);
            }
        });
    }

    @Override
    public void put(Stored instance) {
        Objects.requireNonNull(instance, "instance");
        call("keep instance '" + instance.id() + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(put)) {
                statement.setString(1, instance.id());
                statement.setString(2, instance.plugin());
                setTimestamp(statement, 3, instance.leaseExpiresAt());
                statement.setString(4, instance.registration());
                statement.setBoolean(5, instance.drained());
                statement.setString(6, actor);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public void renew(String id, Instant leaseExpiresAt) {
        Objects.requireNonNull(id, "id");
        call("renew the lease of instance '" + id + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(renew)) {
                setTimestamp(statement, 1, leaseExpiresAt);
                statement.setString(2, id);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public void remove(String id) {
        Objects.requireNonNull(id, "id");
        call("forget instance '" + id + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(remove)) {
                statement.setString(1, id);
                statement.setString(2, actor);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public boolean removeIfLapsed(String id, Instant leaseExpiresAt) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(leaseExpiresAt, "leaseExpiresAt");
        return call("evict instance '" + id + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(removeIfLapsed)) {
                statement.setString(1, id);
                setTimestamp(statement, 2, leaseExpiresAt);
                statement.setString(3, actor);
                statement.setString(4, id);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getBoolean(1);
                }
            }
        });
    }

    @Override
    public void drain(String id, boolean drained) {
        Objects.requireNonNull(id, "id");
        call((drained ? "drain" : "undrain") + " instance '" + id + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(drain)) {
                statement.setBoolean(1, drained);
                statement.setString(2, id);
                statement.setBoolean(3, drained);
                statement.setString(4, actor);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public Optional<StoredRules> loadRules() {
        return call("load the routing rules", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(loadRules);
                 ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(new StoredRules(row.getLong(1), row.getString(2))) : Optional.empty();
            }
        });
    }

    @Override
    public long putRules(String rules) {
        Objects.requireNonNull(rules, "rules");
        return call("keep the routing rules", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(putRules)) {
                statement.setString(1, rules);
                statement.setString(2, actor);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    @Override
    public void recordHealth(HealthTransition transition) {
        ObjectNode detail = Json.object();
        detail.put("from", transition.from().name());
        detail.put("to", transition.to().name());
        detail.put("reason", transition.reason());
        detail.put("gateway", transition.gateway());
        call("audit the health of instance '" + transition.instanceId() + "'", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(recordHealth)) {
                statement.setString(1, transition.instanceId());
                statement.setString(2, transition.plugin());
                statement.setString(3, detail.toString());
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public void recordAuthFailure(AuthFailure failure, int count) {
        ObjectNode detail = Json.object();
        detail.put("surface", failure.surface().tag());
        detail.put("reason", failure.reason());
        detail.put("remote", failure.remote());
        detail.put("subject", failure.subject());
        detail.put("count", count);
        call("audit an authentication failure", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(recordAuthFailure)) {
                statement.setString(1, detail.toString());
                return statement.executeUpdate();
            }
        });
    }

    /** This store with the changes written through it audited as {@code actor}'s; closing the view does nothing. */
    @Override
    public RegistryStore attributedTo(String actor) {
        return new PostgresRegistryStore(root == null ? this : root, actor);
    }

    /**
     * This store telling the other gateways sharing its schema of each change it keeps, and following theirs at once:
     * {@code events.around(this)}. See {@link RedisChangeEvents}.
     */
    public RegistryStore withChangeEvents(RedisChangeEvents events) {
        return events.around(this);
    }

    /** Closes the connection pool; a view ({@link #attributedTo}) leaves it to the store. */
    @Override
    public void close() {
        if (root == null) {
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "PostgresRegistryStore[" + target + "]";
    }

    /** Work on one connection; the connection is in auto-commit, so each statement is its own transaction. */
    private interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    private <T> T call(String what, Work<T> work) {
        T result;
        try (Connection connection = pool.connection()) {
            result = work.on(connection);
        } catch (SQLException e) {
            pool.failed();
            String reason = firstLine(e) + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
            if (answering.compareAndSet(true, false)) {
                LOG.warn("PostgreSQL registry store at {} is failing: {}. Registry changes are refused until it "
                        + "answers again.", target, reason);
            }
            throw new RegistryStoreUnavailableException(
                    "could not " + what + " in the PostgreSQL registry store at " + target + ": " + reason, e);
        }
        if (answering.compareAndSet(false, true)) {
            LOG.info("PostgreSQL registry store at {} answers again.", target);
        }
        return result;
    }

    private static void setTimestamp(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC),
                Types.TIMESTAMP_WITH_TIMEZONE);
    }

    // Driver messages can run to several lines (hints, positions); one is enough for a 503 and a log line.
    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
