-- PostgreSQL twin of sqlite/V3__rollouts.sql (BYTEA for BLOB; keep the two in step).
-- Fleet rollouts (issue 16). Every state change of a rollout or one of its nodes is committed
-- before the controller sends the next RPC, so a restarted controller knows where it stopped.

-- Every bundle the controller ever rolled out, by version, so a rollback can re-send the one a
-- node had before. A version names one bundle for good (the agent refuses a changed bundle under
-- an active version).
CREATE TABLE config_bundles (
  version    TEXT   NOT NULL PRIMARY KEY,
  bundle     BYTEA  NOT NULL,
  sha256     TEXT   NOT NULL,
  stored_at  BIGINT NOT NULL
);

CREATE TABLE rollouts (
  id                   TEXT    NOT NULL PRIMARY KEY,
  name                 TEXT    NOT NULL,
  cluster              TEXT    NOT NULL,
  state                TEXT    NOT NULL,
  selector             TEXT    NOT NULL,
  bundle_version       TEXT    NOT NULL REFERENCES config_bundles (version),
  canary               INTEGER NOT NULL,
  waves                TEXT    NOT NULL,
  max_unavailable      INTEGER NOT NULL,
  max_failures         INTEGER NOT NULL,
  gate_window_ms       BIGINT  NOT NULL,
  approve_after_canary INTEGER NOT NULL,
  current_wave         INTEGER NOT NULL,
  gate_until           BIGINT,
  reason               TEXT    NOT NULL DEFAULT '',
  tripping_node        TEXT    NOT NULL DEFAULT '',
  created_by           TEXT    NOT NULL,
  created_at           BIGINT  NOT NULL,
  updated_at           BIGINT  NOT NULL,
  finished_at          BIGINT
);
CREATE INDEX rollouts_state ON rollouts (state);

-- One row per node a rollout plans to touch. wave 0 is the canary. change_seq orders the changes
-- so a rollback can undo them newest first.
CREATE TABLE rollout_nodes (
  rollout_id       TEXT    NOT NULL REFERENCES rollouts (id),
  node_id          TEXT    NOT NULL,
  hostname         TEXT    NOT NULL,
  wave             INTEGER NOT NULL,
  position         INTEGER NOT NULL,
  state            TEXT    NOT NULL,
  previous_version TEXT    NOT NULL,
  health_before    INTEGER NOT NULL DEFAULT 0,
  change_seq       BIGINT  NOT NULL DEFAULT 0,
  attempts         INTEGER NOT NULL DEFAULT 0,
  reason           TEXT    NOT NULL DEFAULT '',
  updated_at       BIGINT  NOT NULL,
  PRIMARY KEY (rollout_id, node_id)
);
CREATE INDEX rollout_nodes_node ON rollout_nodes (node_id);
