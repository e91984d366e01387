-- Install progress (issue 21): the installer of a machine reports its phases with the machine's
-- bootstrap token, before the agent enrols with it. One row per token: the latest phase, the
-- message of the latest report (the failure reason when the phase is "failed") and when the
-- install was first and last heard of; cluster and profile are the token's. Portable SQL, the
-- same on SQLite and PostgreSQL.
-- Numbered 4.1 so it cannot collide with a V5 another branch adds.

CREATE TABLE install_progress (
  token_id   TEXT    NOT NULL PRIMARY KEY REFERENCES bootstrap_tokens (id),
  hostname   TEXT    NOT NULL,
  arch       TEXT    NOT NULL,
  cluster    TEXT    NOT NULL,
  profile    TEXT    NOT NULL,
  phase      TEXT    NOT NULL,
  message    TEXT    NOT NULL,
  source     TEXT    NOT NULL,
  started_at BIGINT  NOT NULL,
  updated_at BIGINT  NOT NULL,
  reports    INTEGER NOT NULL
);
