-- Several controllers on one database (issue 20 part 2). Numbered 6 to leave 5 to a branch that
-- claimed it first. Portable SQL: both engines run it, though only PostgreSQL has several
-- controllers (SQLite's state lock allows one).

-- The CA every controller signs with: its certificate and its key encrypted (PKCS#8, PBES2) with
-- the passphrase all controllers are given. One row.
CREATE TABLE shared_ca (
  id                INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  certificate_pem   TEXT    NOT NULL,
  encrypted_key_pem TEXT    NOT NULL,
  created_at        BIGINT  NOT NULL
);

-- Work that must run once (the rollout engine) is done by the holder of a lease. The token grows
-- by one at every acquisition; coordinated writes check it in their transaction (fencing).
CREATE TABLE leases (
  name        TEXT   NOT NULL PRIMARY KEY,
  holder      TEXT   NOT NULL,
  token       BIGINT NOT NULL,
  acquired_at BIGINT NOT NULL,
  renewed_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);

-- The controllers that use this database, each refreshing its row as it renews or tries the lease.
CREATE TABLE controllers (
  id         TEXT   NOT NULL PRIMARY KEY,
  address    TEXT   NOT NULL,
  started_at BIGINT NOT NULL,
  seen_at    BIGINT NOT NULL
);

-- Appenders to the audit chain update this row first: on PostgreSQL the row lock orders the
-- read-last-then-append of writers in different controllers, so the chain stays one chain.
CREATE TABLE audit_head (
  id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  appends BIGINT  NOT NULL
);
INSERT INTO audit_head (id, appends) VALUES (1, 0);
