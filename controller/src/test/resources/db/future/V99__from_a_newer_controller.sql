-- What a later controller's migration might add; tests apply it to check an older controller
-- refuses the database.
CREATE TABLE newer_feature (id TEXT NOT NULL PRIMARY KEY);
