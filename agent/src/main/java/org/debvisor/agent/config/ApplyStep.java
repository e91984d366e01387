package org.debvisor.agent.config;

/** Points inside an apply, commit or rollback; observed by tests that crash the agent there. */
enum ApplyStep {
  JOURNAL_WRITTEN,
  DIRECTORY_CREATED,
  FILE_STAGED,
  FILE_SWITCHED,
  ALL_SWITCHED,
  COMMIT_RECORDED,
  CURRENT_WRITTEN,
  HISTORY_WRITTEN,
  BACKUPS_DROPPED,
  ROLLBACK_DECIDED,
  FILE_RESTORED,
  ALL_RESTORED
}
