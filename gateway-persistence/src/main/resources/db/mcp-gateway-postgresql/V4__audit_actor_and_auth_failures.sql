-- Who made each change (the principal's subject over the management API; host, config, gateway or - otherwise), and
-- the clients that failed to authenticate, coalesced: one row per surface, reason and address every ten seconds at
-- most, its count in detail. Rows written before this migration have no actor.
ALTER TABLE audit ADD COLUMN actor text NULL;
ALTER TABLE audit DROP CONSTRAINT audit_action_check;
ALTER TABLE audit ADD CONSTRAINT audit_action_check
    CHECK (action IN ('registered', 'replaced', 'deregistered', 'evicted', 'drained', 'undrained', 'rules-replaced',
                      'health', 'auth-failed'));
