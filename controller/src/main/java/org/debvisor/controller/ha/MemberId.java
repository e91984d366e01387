package org.debvisor.controller.ha;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A controller's name among the controllers of one database: its host name and a random suffix,
 * kept in its state directory so a restarted controller is the same member.
 */
public final class MemberId {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,80}");

  private MemberId() {}

  /** Reads {@code file}, creating it on first start. */
  public static String loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!SAFE.matcher(id).matches()) {
        throw new IOException(
            file + " holds no valid controller id (letters, digits, '.', '_', '-'); delete it");
      }
      return id;
    }
    byte[] suffix = new byte[3];
    new SecureRandom().nextBytes(suffix);
    String host = HostName.local().replaceAll("[^A-Za-z0-9._-]", "-");
    String id =
        host.substring(0, Math.min(host.length(), 60)) + "-" + HexFormat.of().formatHex(suffix);
    Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
    return id;
  }
}
