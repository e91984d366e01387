-- PostgreSQL twin of sqlite/V1__inventory.sql: the same tables and columns; BYTEA for BLOB and
-- plpgsql triggers are the only differences. Keep the two in step.

CREATE TABLE nodes (
  id                TEXT    NOT NULL PRIMARY KEY,
  hostname          TEXT    NOT NULL,
  profile           TEXT    NOT NULL,
  arch              TEXT    NOT NULL,
  agent_address     TEXT    NOT NULL,
  agent_version     TEXT    NOT NULL,
  state             TEXT    NOT NULL CHECK (state IN ('ACTIVE', 'REVOKED')),
  enrolled_at       BIGINT  NOT NULL,
  last_seen         BIGINT,
  cert_serial       TEXT,
  cert_not_after    BIGINT,
  last_status       BYTEA,
  facts             BYTEA,
  facts_fingerprint TEXT    NOT NULL DEFAULT '',
  revoked_at        BIGINT,
  revoked_reason    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX nodes_hostname ON nodes (hostname);

CREATE TABLE bootstrap_tokens (
  id            TEXT   NOT NULL PRIMARY KEY,
  secret_sha256 TEXT   NOT NULL,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL,
  hostname      TEXT   NOT NULL DEFAULT '',
  profile       TEXT   NOT NULL DEFAULT '',
  created_by    TEXT   NOT NULL,
  used_at       BIGINT,
  used_by_node  TEXT
);

CREATE TABLE certificates (
  serial     TEXT   NOT NULL PRIMARY KEY,
  node_id    TEXT   NOT NULL REFERENCES nodes (id),
  issued_at  BIGINT NOT NULL,
  not_after  BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX certificates_node ON certificates (node_id);

CREATE TABLE audit_log (
  seq       BIGINT NOT NULL PRIMARY KEY,
  at        BIGINT NOT NULL,
  actor     TEXT   NOT NULL,
  action    TEXT   NOT NULL,
  target    TEXT   NOT NULL,
  source    TEXT   NOT NULL,
  result    TEXT   NOT NULL,
  detail    TEXT   NOT NULL,
  prev_hash TEXT   NOT NULL,
  hash      TEXT   NOT NULL
);

-- Append-only: the application never updates or deletes audit rows, and the database refuses to.
-- (The table's owner can drop these; the hash chain then shows the change.)
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
