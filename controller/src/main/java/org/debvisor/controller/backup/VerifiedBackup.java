package org.debvisor.controller.backup;

import java.nio.file.Path;
import java.security.PrivateKey;

/**
 * A backup whose manifest, checksums, passphrase and schema were checked: safe to restore.
 *
 * @param schema the backup database's schema against this build's migrations
 */
record VerifiedBackup(
    Path path, BackupManifest manifest, PrivateKey caKey, InventoryFile.Schema schema) {}
