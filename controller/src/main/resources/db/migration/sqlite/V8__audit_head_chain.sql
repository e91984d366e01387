-- Nothing to change on SQLite (the PostgreSQL schema keeps the audit chain's end in audit_head):
-- its one writer lock orders appenders, who read the chain's end from audit_log in-process, with no
-- round trip to save; files of schemas before audit_head must still take appends. Same version on
-- both engines, so a schema version means one thing.
SELECT 1;
