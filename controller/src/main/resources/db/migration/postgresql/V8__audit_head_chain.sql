-- Where the audit chain ends (the last entry's seq and hash, 0 and the genesis hash while empty) is
-- kept in its head row: an appender locks the row and reads the chain's end in one statement
-- (UPDATE ... RETURNING), one round trip less per audited write. A trigger moves the head with
-- every insert into audit_log, whoever inserts: a controller of an older release still running
-- beside an upgraded one (a rolling upgrade) appends the old way, and the head must still follow.
-- audit_log's primary key on seq refuses a second entry with a number already taken regardless.
ALTER TABLE audit_head ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_head
  ADD COLUMN hash TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000';
UPDATE audit_head
   SET seq = last.seq, hash = last.hash
  FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS last
 WHERE audit_head.id = 1;

CREATE FUNCTION audit_head_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1 AND seq < NEW.seq;
  RETURN NULL;
END;
$$;

CREATE TRIGGER audit_head_follows_log AFTER INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_head_follow();
