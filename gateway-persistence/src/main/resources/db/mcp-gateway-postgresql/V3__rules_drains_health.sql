-- Shared state of gateways on one schema beyond registrations: drains, the routing rules replaced at run time, and
-- the audit of both and of the health transitions each gateway sees.

-- Drained (taken out of service) through some gateway; registering again clears it.
ALTER TABLE instances ADD COLUMN drained boolean NOT NULL DEFAULT false;

-- The routing rules replaced at run time: one set, one row. Each replacement raises the version, so a gateway that
-- adopted a set can tell an older read from a newer one and never goes back.
CREATE TABLE rule_sets (
    id         smallint    PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    version    bigint      NOT NULL,
    -- the rules as the gateway serialized them ({"format": 1, "rules": [...]})
    rules      jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Rule replacements concern no instance.
ALTER TABLE audit ALTER COLUMN instance_id DROP NOT NULL;
ALTER TABLE audit DROP CONSTRAINT audit_action_check;
ALTER TABLE audit ADD CONSTRAINT audit_action_check
    CHECK (action IN ('registered', 'replaced', 'deregistered', 'evicted', 'drained', 'undrained', 'rules-replaced',
                      'health'));
