package org.debvisor.controller.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * An OpenSSH known_hosts file: finds the keys recorded for a host (plain or hashed names, {@code
 * [host]:port}) and appends newly trusted ones. One instance is shared by all connections of a run
 * so appends do not interleave.
 */
public final class KnownHostsFile {

  /**
   * One recorded key.
   *
   * @param lineNumber 1-based line in the file
   * @param line the line as written
   * @param key the public key on it
   * @param revoked true for {@code @revoked} lines
   * @param certAuthority true for {@code @cert-authority} lines (the key signs host certificates)
   */
  public record Entry(
      int lineNumber, String line, PublicKey key, boolean revoked, boolean certAuthority) {}

  private final Path file;

  public KnownHostsFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  /** The entries whose host patterns match {@code host} on {@code port}, in file order. */
  public synchronized List<Entry> entriesFor(String host, int port) throws SshException {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SshException("cannot read known_hosts file " + file + ": " + e.getMessage(), e);
    }
    List<Entry> found = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      KnownHostEntry entry;
      PublicKey key;
      try {
        entry = KnownHostEntry.parseKnownHostEntry(line);
        if (entry == null || !entry.isHostMatch(host, port)) {
          continue;
        }
        key = entry.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
      } catch (RuntimeException | IOException | GeneralSecurityException e) {
        throw new SshException(
            file + " line " + (i + 1) + " is not a known_hosts entry (" + e.getMessage() + ")", e);
      }
      if (key != null) {
        found.add(
            new Entry(
                i + 1,
                line,
                key,
                "revoked".equals(entry.getMarker()),
                "cert-authority".equals(entry.getMarker())));
      }
    }
    return found;
  }

  /** Appends {@code name KEYTYPE BASE64} and returns the line written. */
  public synchronized String append(String knownHostsName, PublicKey key) throws SshException {
    String line = knownHostsName + " " + PublicKeyEntry.toString(key);
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      if (!Files.exists(file)) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
      String existing = Files.readString(file, StandardCharsets.UTF_8);
      if (!existing.isEmpty() && !existing.endsWith("\n")) {
        bytes = ("\n" + line + "\n").getBytes(StandardCharsets.UTF_8);
      }
      Files.write(file, bytes, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new SshException("cannot add the host key to " + file + ": " + e.getMessage(), e);
    }
    return line;
  }
}
