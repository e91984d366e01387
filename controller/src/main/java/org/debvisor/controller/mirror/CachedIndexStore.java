package org.debvisor.controller.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import org.debvisor.common.digest.Sha256;

/**
 * Remembers the last {@code InRelease} fetched from a URL: its bytes (a blob of the {@link
 * ArtifactCache}, checked against its SHA-256 on read), when the mirror last confirmed it and the
 * HTTP validators to ask whether it changed. The entry is a small properties file replaced by a
 * rename, so a failed or concurrent write leaves the previous entry or none, never half of one.
 *
 * <p>What is read here is not trusted: the caller verifies the signature again before use.
 */
final class CachedIndexStore {

  /**
   * One remembered index.
   *
   * @param data its bytes, as fetched
   * @param confirmed when the mirror last served or confirmed (304) it
   * @param validators what to send to ask whether it changed
   */
  record Entry(byte[] data, Instant confirmed, HttpValidators validators) {}

  private final ArtifactCache cache;

  CachedIndexStore(ArtifactCache cache) {
    this.cache = cache;
  }

  /** The entry for {@code url}, if one is stored and its bytes are intact. */
  Optional<Entry> read(String url) throws IOException {
    Path pointer = pointer(url);
    if (!Files.isRegularFile(pointer)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(pointer)) {
      p.load(in);
    }
    String sha = p.getProperty("sha256", "");
    String confirmed = p.getProperty("confirmed", "");
    if (!Sha256.isHex(sha) || !confirmed.matches("\\d+")) {
      return Optional.empty();
    }
    Optional<Path> blob = cache.find(sha);
    if (blob.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Entry(
            Files.readAllBytes(blob.get()),
            Instant.ofEpochSecond(Long.parseLong(confirmed)),
            new HttpValidators(
                Optional.ofNullable(p.getProperty("etag")),
                Optional.ofNullable(p.getProperty("last-modified")))));
  }

  /** Stores {@code entry} for {@code url}, replacing the previous one. */
  void write(String url, Entry entry) throws IOException, IsoBuildException {
    Path blob = cache.newTempFile();
    try {
      Files.write(blob, entry.data());
      cache.store(blob, Sha256.hex(entry.data()), url);
    } finally {
      Files.deleteIfExists(blob);
    }
    Properties p = new Properties();
    p.setProperty("url", url);
    p.setProperty("sha256", Sha256.hex(entry.data()));
    p.setProperty("confirmed", Long.toString(entry.confirmed().getEpochSecond()));
    entry.validators().etag().ifPresent(v -> p.setProperty("etag", v));
    entry.validators().lastModified().ifPresent(v -> p.setProperty("last-modified", v));
    Path pointer = pointer(url);
    Files.createDirectories(pointer.getParent());
    Path temp = cache.newTempFile();
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        p.store(out, null);
      }
      Files.move(
          temp, pointer, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Forgets {@code url}'s entry (its blob stays until the cache is cleaned). */
  void remove(String url) throws IOException {
    Files.deleteIfExists(pointer(url));
  }

  private Path pointer(String url) {
    String key = Sha256.hex(url.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    return cache.root().resolve("indexes").resolve(key + ".properties");
  }
}
