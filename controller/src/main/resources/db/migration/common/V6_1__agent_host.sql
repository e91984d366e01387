-- The canonical host of agent_address (IP literals as the JDK prints their bytes, names in lower
-- case), so the enrolment's "does another node hold this address?" check is an index lookup
-- instead of a read of the whole fleet. Rows written before this migration are filled in by the
-- controller when it opens the database (AgentHostBackfill): SQL cannot spell IPv6 canonically.
ALTER TABLE nodes ADD COLUMN agent_host TEXT NOT NULL DEFAULT '';
CREATE INDEX nodes_agent_host ON nodes (agent_host);
