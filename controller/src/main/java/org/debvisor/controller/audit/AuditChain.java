package org.debvisor.controller.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import org.debvisor.common.digest.Sha256;

/**
 * The hash chain: {@code hash = SHA-256(prevHash || canonical(entry))}. The canonical encoding is
 * the sequence number and time as 8-byte big-endian integers followed by each text field as a
 * 4-byte big-endian length and its UTF-8 bytes, so no two different entries encode alike.
 */
final class AuditChain {

  /** The previous hash of the first entry. */
  static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  static String hash(String prevHash, long seq, Instant at, AuditEntry e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(HexFormat.of().parseHex(prevHash));
    out.writeBytes(ByteBuffer.allocate(8).putLong(seq).array());
    out.writeBytes(tail(at, e));
    return Sha256.hex(out.toByteArray());
  }

  /**
   * What the hash covers after the previous hash and the sequence number: the time and the text
   * fields. PostgreSQL appends hash it behind the chain's end they read in the same statement.
   */
  static byte[] tail(Instant at, AuditEntry e) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(ByteBuffer.allocate(8).putLong(at.toEpochMilli()).array());
    for (String field :
        new String[] {e.actor(), e.action(), e.target(), e.source(), e.result(), e.detail()}) {
      byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }
}
