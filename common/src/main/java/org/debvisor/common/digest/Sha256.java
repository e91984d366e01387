package org.debvisor.common.digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests, as lower-case hex unless said otherwise. */
public final class Sha256 {

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  // Never updated, only cloned: a clone costs a fraction of getInstance's provider lookup, which
  // was half the time of hashing a small file (a configuration apply hashes every file).
  private static final MessageDigest PRISTINE = lookUp();

  private Sha256() {}

  /** A fresh digest; every Java runtime has SHA-256. */
  public static MessageDigest digest() {
    try {
      return (MessageDigest) PRISTINE.clone();
    } catch (CloneNotSupportedException e) {
      return lookUp();
    }
  }

  private static MessageDigest lookUp() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The raw 32 bytes. */
  public static byte[] bytes(byte[] data) {
    return digest().digest(data);
  }

  public static String hex(byte[] data) {
    return HexFormat.of().formatHex(bytes(data));
  }

  /** Of the UTF-8 bytes of {@code text}. */
  public static String hex(String text) {
    return hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Of the buffers one after the other (e.g. a protobuf ByteString's), without copying them. */
  public static String hex(Iterable<ByteBuffer> buffers) {
    MessageDigest md = digest();
    buffers.forEach(md::update);
    return HexFormat.of().formatHex(md.digest());
  }

  /** Of everything left in the stream; does not close it. */
  public static String hex(InputStream in) throws IOException {
    MessageDigest md = digest();
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      md.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  public static String hex(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return hex(in);
    }
  }

  /** Whether {@code text} looks like a SHA-256 in lower-case hex. */
  public static boolean isHex(String text) {
    return text != null && HEX.matcher(text).matches();
  }
}
