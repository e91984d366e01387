package org.debvisor.controller.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * What the chain hash covers. Every tampering keeps the value's length, so a hash that left a part
 * out (or only covered lengths) would not notice.
 */
class AuditChainHashTest {

  private static final String PREV = "ab".repeat(32);
  private static final Instant AT = Instant.ofEpochMilli(1_764_547_200_123L);
  private static final AuditEntry ENTRY =
      new AuditEntry("operator", "node.revoke", "node-1", "10.0.0.1", "ok", "reason=stolen");

  private static final String ORIGINAL = AuditChain.hash(PREV, 7, AT, ENTRY);

  @Test
  void sameInputHashesAlikeAndIsSha256Hex() {
    assertThat(AuditChain.hash(PREV, 7, AT, ENTRY)).isEqualTo(ORIGINAL).matches("[0-9a-f]{64}");
  }

  @Test
  void aPreviousHashOfTheSameLengthChangesTheHash() {
    assertThat(AuditChain.hash("ac" + PREV.substring(2), 7, AT, ENTRY)).isNotEqualTo(ORIGINAL);
    assertThat(AuditChain.hash(AuditChain.GENESIS, 7, AT, ENTRY)).isNotEqualTo(ORIGINAL);
  }

  @Test
  void anotherSequenceNumberChangesTheHash() {
    assertThat(AuditChain.hash(PREV, 8, AT, ENTRY)).isNotEqualTo(ORIGINAL);
    assertThat(AuditChain.hash(PREV, 7L << 32, AT, ENTRY)).isNotEqualTo(ORIGINAL);
  }

  @Test
  void anotherTimeChangesTheHashDownToTheMillisecond() {
    assertThat(AuditChain.hash(PREV, 7, AT.plusMillis(1), ENTRY)).isNotEqualTo(ORIGINAL);
    assertThat(AuditChain.hash(PREV, 7, AT.minusSeconds(86_400), ENTRY)).isNotEqualTo(ORIGINAL);
  }

  @Test
  void aSameLengthChangeToEachFieldChangesTheHash() {
    List<UnaryOperator<AuditEntry>> edits =
        List.of(
            e ->
                new AuditEntry(
                    "OPERATOR", e.action(), e.target(), e.source(), e.result(), e.detail()),
            e ->
                new AuditEntry(
                    e.actor(), "node.revok3", e.target(), e.source(), e.result(), e.detail()),
            e ->
                new AuditEntry(e.actor(), e.action(), "node-2", e.source(), e.result(), e.detail()),
            e ->
                new AuditEntry(
                    e.actor(), e.action(), e.target(), "10.0.0.9", e.result(), e.detail()),
            e -> new AuditEntry(e.actor(), e.action(), e.target(), e.source(), "no", e.detail()),
            e ->
                new AuditEntry(
                    e.actor(), e.action(), e.target(), e.source(), e.result(), "reason=stolEn"));
    for (UnaryOperator<AuditEntry> edit : edits) {
      AuditEntry changed = edit.apply(ENTRY);
      assertThat(changed).isNotEqualTo(ENTRY);
      assertThat(AuditChain.hash(PREV, 7, AT, changed))
          .as(changed.toString())
          .isNotEqualTo(ORIGINAL);
    }
  }

  @Test
  void swappingTwoFieldsOfEqualLengthChangesTheHash() {
    AuditEntry a = new AuditEntry("aaaa", "bbbb", "t", "s", "ok", "");
    AuditEntry b = new AuditEntry("bbbb", "aaaa", "t", "s", "ok", "");
    assertThat(AuditChain.hash(PREV, 1, AT, a)).isNotEqualTo(AuditChain.hash(PREV, 1, AT, b));
  }

  @Test
  void movingBytesAcrossAFieldBoundaryChangesTheHash() {
    // Same concatenation "ab|c" versus "a|bc": only the length prefixes tell them apart.
    AuditEntry left = new AuditEntry("ab", "c", "t", "s", "ok", "d");
    AuditEntry right = new AuditEntry("a", "bc", "t", "s", "ok", "d");
    AuditEntry lastTwo = new AuditEntry("ab", "c", "t", "s", "o", "kd");
    String h = AuditChain.hash(PREV, 1, AT, left);
    assertThat(AuditChain.hash(PREV, 1, AT, right)).isNotEqualTo(h);
    assertThat(AuditChain.hash(PREV, 1, AT, lastTwo)).isNotEqualTo(h);
  }

  @Test
  void multiByteCharactersCountByTheirBytes() {
    // "é" is two UTF-8 bytes: a char-count prefix would let "é|x" and "é" + "x" collide
    // differently.
    AuditEntry accented = new AuditEntry("é", "x", "t", "s", "ok", "");
    AuditEntry plain = new AuditEntry("e", "x", "t", "s", "ok", "");
    assertThat(AuditChain.hash(PREV, 1, AT, accented))
        .isNotEqualTo(AuditChain.hash(PREV, 1, AT, plain));
  }
}
