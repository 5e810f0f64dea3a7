-- The instances plugins registered over the management API, with their leases, and the audit trail of their
-- registrations. Flyway runs this in the store's schema (the search path), under its PostgreSQL advisory lock.

CREATE TABLE instances (
    id               text        PRIMARY KEY,
    plugin           text        NOT NULL,
    -- null: the instance has no lease and stays until it is deregistered
    lease_expires_at timestamptz NULL,
    -- the registration as the gateway serialized it; jsonb, so it can be queried (key order and spacing are not kept)
    registration     jsonb       NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- One row per registered, replaced or deregistered instance; lease renewals are heartbeats and are not audited.
CREATE TABLE audit (
    id          bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    action      text        NOT NULL CHECK (action IN ('registered', 'replaced', 'deregistered')),
    instance_id text        NOT NULL,
    plugin      text,
    detail      jsonb
);

CREATE INDEX audit_instance_id ON audit (instance_id, at);
