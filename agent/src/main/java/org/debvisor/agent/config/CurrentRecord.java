package org.debvisor.agent.config;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.List;
import org.debvisor.proto.ConfigState;
import org.debvisor.proto.FileChecksum;

/**
 * The committed version as stored in {@code current.json}.
 *
 * @param version the active version
 * @param txn the apply that committed it (matches its journal while the commit finishes)
 * @param appliedAt ISO-8601 instant of the commit
 * @param caller who applied it
 * @param files the version's files
 */
record CurrentRecord(
    String version, String txn, String appliedAt, String caller, List<FileRecord> files) {

  CurrentRecord {
    files = List.copyOf(files);
  }

  static final CurrentRecord NONE = new CurrentRecord("", "", "", "", List.of());

  /**
   * One file of the active version.
   *
   * @param path path as the bundle named it
   * @param sha256 checksum of its content
   * @param mode effective permission bits
   */
  record FileRecord(String path, String sha256, int mode) {}

  ConfigState toProto() {
    return toProto(appliedAt.isEmpty() ? null : Instant.parse(appliedAt));
  }

  /** As {@link #toProto()}, given {@link #appliedAt} already parsed (null when empty). */
  ConfigState toProto(Instant at) {
    ConfigState.Builder state = ConfigState.newBuilder().setVersion(version);
    for (FileRecord f : files) {
      state.addFiles(
          FileChecksum.newBuilder().setPath(f.path()).setSha256(f.sha256()).setMode(f.mode()));
    }
    if (at != null) {
      state.setAppliedAt(
          Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()));
    }
    return state.build();
  }
}
