-- Lease evictions are audited too: with several gateways on one schema, which one let a registration go matters.
ALTER TABLE audit DROP CONSTRAINT audit_action_check;
ALTER TABLE audit ADD CONSTRAINT audit_action_check
    CHECK (action IN ('registered', 'replaced', 'deregistered', 'evicted'));
