package org.debvisor.controller.backup;

import java.nio.file.Path;

/** A finished backup: where it is, what it holds, how many bytes it took. */
public record BackupResult(Path path, BackupManifest manifest, long bytes) {}
