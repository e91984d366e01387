-- The operator tokens every controller on this database accepts (issue 20): each controller stores
-- the SHA-256 of the token in its state directory here at start, so a CLI holding any controller's
-- token is served by all of them. A controller whose token was rotated replaces its row.
CREATE TABLE operator_tokens (
  controller_id TEXT   NOT NULL PRIMARY KEY,
  token_sha256  TEXT   NOT NULL,
  stored_at     BIGINT NOT NULL
);
