-- Where the audit chain ends (the last entry's seq and hash, 0 and the genesis hash while empty) is
-- kept in its head row: an appender locks the row and reads the chain's end in one statement
-- (UPDATE ... RETURNING), and moves the head in the statement that inserts the entry, one round
-- trip less per audited write. audit_log's primary key on seq still refuses a second entry with a
-- number already taken, should a head ever lag behind the log.
ALTER TABLE audit_head ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE audit_head
  ADD COLUMN hash TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000';
UPDATE audit_head
   SET seq = last.seq, hash = last.hash
  FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS last
 WHERE audit_head.id = 1;
