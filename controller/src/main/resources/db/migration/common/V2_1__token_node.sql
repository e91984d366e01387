-- A bootstrap token may be bound to one node id; only such a token may re-enrol an enrolled node.
-- Numbered 2.1 so it cannot collide with a V3 another branch adds.

ALTER TABLE bootstrap_tokens ADD COLUMN node_id TEXT NOT NULL DEFAULT '';
