package org.debvisor.agent.config;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import org.debvisor.proto.ConfigHistoryEntry;
import org.debvisor.proto.ConfigResult;

/**
 * One line of {@code history.jsonl}.
 *
 * @param txn the apply it concerns ("" for UNCHANGED), so a resumed commit is not recorded twice
 * @param version the bundle's version
 * @param previousVersion the version active before the call
 * @param at ISO-8601 instant
 * @param caller authenticated caller
 * @param result a {@link ConfigResult} name
 * @param reason why it was rolled back
 */
record HistoryRecord(
    String txn,
    String version,
    String previousVersion,
    String at,
    String caller,
    String result,
    String reason) {

  ConfigHistoryEntry toProto() {
    return toProto(Instant.parse(at));
  }

  /** As {@link #toProto()}, given {@link #at} already parsed. */
  ConfigHistoryEntry toProto(Instant instant) {
    return ConfigHistoryEntry.newBuilder()
        .setVersion(version)
        .setPreviousVersion(previousVersion)
        .setAt(
            Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()))
        .setCaller(caller)
        .setResult(ConfigResult.valueOf(result))
        .setReason(reason)
        .build();
  }
}
