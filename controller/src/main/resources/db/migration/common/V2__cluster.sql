-- Clusters: a bootstrap token names the cluster its node joins; enrolment copies it to the node.
-- Nodes and tokens from before this migration belong to the cluster "default".

ALTER TABLE bootstrap_tokens ADD COLUMN cluster TEXT NOT NULL DEFAULT 'default';

ALTER TABLE nodes ADD COLUMN cluster TEXT NOT NULL DEFAULT 'default';
CREATE INDEX nodes_cluster ON nodes (cluster);
