package org.debvisor.controller.image;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Sets every entry date of a JKS keystore to one instant and re-signs its integrity digest.
 * ca-certificates-java writes {@code /etc/ssl/certs/java/cacerts} with the time of the install in
 * each entry, the only part of the image that SOURCE_DATE_EPOCH does not fix; the image's clean
 * hook runs {@link #main} on it.
 */
final class JavaKeystoreDates {

  /** The password ca-certificates-java protects cacerts' integrity with. */
  static final char[] CACERTS_PASSWORD = "changeit".toCharArray();

  private static final int MAGIC = 0xfeedfeed;
  private static final int DIGEST_BYTES = 20;

  private JavaKeystoreDates() {}

  /**
   * The keystore with every entry date set to {@code epochMillis}; the same bytes otherwise.
   *
   * @throws ImageBuildException if it is not a JKS keystore or its digest does not match {@code
   *     password}
   */
  public static byte[] normalize(byte[] keystore, long epochMillis, char[] password)
      throws ImageBuildException {
    if (keystore.length < 12 + DIGEST_BYTES) {
      throw new ImageBuildException("not a JKS keystore: only " + keystore.length + " bytes");
    }
    int bodyLength = keystore.length - DIGEST_BYTES;
    byte[] expected = digest(password, keystore, bodyLength);
    if (!MessageDigest.isEqual(
        expected, Arrays.copyOfRange(keystore, bodyLength, keystore.length))) {
      throw new ImageBuildException(
          "the JKS keystore's integrity digest does not match its password; left unchanged");
    }
    byte[] out = keystore.clone();
    ByteBuffer dates = ByteBuffer.wrap(out);
    try (DataInputStream in =
        new DataInputStream(new java.io.ByteArrayInputStream(keystore, 0, bodyLength))) {
      if (in.readInt() != MAGIC) {
        throw new ImageBuildException("not a JKS keystore (no FEEDFEED magic)");
      }
      int version = in.readInt();
      if (version != 1 && version != 2) {
        throw new ImageBuildException("JKS version " + version + " is not supported");
      }
      int count = in.readInt();
      int offset = 12;
      for (int i = 0; i < count; i++) {
        int tag = in.readInt();
        offset += 4;
        offset += skipUtf(in);
        dates.putLong(offset, epochMillis);
        in.readLong();
        offset += 8;
        switch (tag) {
          case 1 -> {
            offset += skipBlock(in);
            int chain = in.readInt();
            offset += 4;
            for (int c = 0; c < chain; c++) {
              offset += skipCertificate(in, version);
            }
          }
          case 2 -> offset += skipCertificate(in, version);
          default -> throw new ImageBuildException("JKS entry " + i + " has unknown tag " + tag);
        }
      }
      if (offset != bodyLength) {
        throw new ImageBuildException(
            "JKS keystore has " + (bodyLength - offset) + " unexpected bytes after its entries");
      }
    } catch (IOException e) {
      throw new ImageBuildException("JKS keystore is truncated: " + e.getMessage(), e);
    }
    System.arraycopy(digest(password, out, bodyLength), 0, out, bodyLength, DIGEST_BYTES);
    return out;
  }

  /** {@code FILE SECONDS}: rewrites FILE in place with every date at SECONDS since 1970. */
  public static void main(String[] args) {
    if (args.length != 2 || !args[1].matches("\\d+")) {
      System.err.println("usage: JavaKeystoreDates KEYSTORE SOURCE_DATE_EPOCH");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    try {
      byte[] fixed =
          normalize(Files.readAllBytes(file), Long.parseLong(args[1]) * 1000, CACERTS_PASSWORD);
      Files.write(file, fixed);
    } catch (IOException | ImageBuildException e) {
      System.err.println(file + ": " + e.getMessage());
      System.exit(1);
    }
  }

  private static int skipUtf(DataInputStream in) throws IOException {
    int length = in.readUnsignedShort();
    in.readNBytes(length);
    return 2 + length;
  }

  private static int skipBlock(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || in.readNBytes(length).length != length) {
      throw new IOException("block of " + length + " bytes");
    }
    return 4 + length;
  }

  private static int skipCertificate(DataInputStream in, int version) throws IOException {
    int read = version == 2 ? skipUtf(in) : 0;
    return read + skipBlock(in);
  }

  /** JKS integrity: SHA-1 over the password (UTF-16BE), "Mighty Aphrodite" and the body. */
  private static byte[] digest(char[] password, byte[] keystore, int bodyLength) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      ByteArrayOutputStream prefix = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(prefix)) {
        for (char c : password) {
          out.writeChar(c);
        }
      }
      sha1.update(prefix.toByteArray());
      sha1.update("Mighty Aphrodite".getBytes(StandardCharsets.UTF_8));
      sha1.update(keystore, 0, bodyLength);
      return sha1.digest();
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
