-- Operator identities for the HTTPS API (issue 17): users with a role and an Argon2id hash, and
-- their browser sessions. A session row holds only the SHA-256 of its cookie, so a copy of the
-- database cannot be replayed as a login.
CREATE TABLE users (
  name                TEXT   NOT NULL PRIMARY KEY,
  role                TEXT   NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  password_hash       TEXT   NOT NULL,
  created_at          BIGINT NOT NULL,
  password_changed_at BIGINT NOT NULL
);

CREATE TABLE sessions (
  id_hash    TEXT   NOT NULL PRIMARY KEY,
  user_name  TEXT   NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  csrf_token TEXT   NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen  BIGINT NOT NULL,
  source     TEXT   NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_name);
