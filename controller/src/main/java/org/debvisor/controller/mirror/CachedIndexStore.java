package org.debvisor.controller.mirror;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>What {@link #read} returns is not trusted: the caller verifies the signature again before use.
 * Only after a check passed does the caller record it ({@link #recordVerified}: the blob's checksum
 * and {@link FileStamp}, the keyring's stamp), and while the blob and the keyring keep those stamps
 * {@link #readVerified} returns the entry without hashing it, for use without a second check.
 * Anyone who may write the cache could forge such a record, as they could replace the user's other
 * files; what the record guards against is a blob changed or corrupted after the check, which
 * changes its ctime.
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

  /**
   * An entry whose signatures were checked before and that is unchanged since.
   *
   * @param sha256 the SHA-256 of its bytes, as recorded
   */
  record Verified(Entry entry, String sha256) {}

  /** Where an entry's blob is and what to ask the mirror; read from the pointer file. */
  private record Pointer(String sha256, Instant confirmed, HttpValidators validators) {}

  /** The entry for {@code url}, if one is stored and its bytes are intact. */
  Optional<Entry> read(String url) throws IOException {
    Optional<Pointer> pointer = readPointer(url);
    if (pointer.isEmpty()) {
      return Optional.empty();
    }
    Optional<Path> blob = cache.find(pointer.get().sha256());
    if (blob.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(entry(pointer.get(), blob.get()));
  }

  /**
   * The entry for {@code url} without hashing it, if {@link #recordVerified} recorded it as
   * verified with the keyring of stamp {@code keyringStamp} and neither its blob (by its {@link
   * FileStamp}) nor the keyring changed since. Anything else, the caller checks the entry again.
   */
  Optional<Verified> readVerified(String url, String keyringStamp) throws IOException {
    Optional<Pointer> pointer = readPointer(url);
    Path record = record(url);
    if (pointer.isEmpty() || !Files.isRegularFile(record)) {
      return Optional.empty();
    }
    String sha = pointer.get().sha256();
    Optional<Path> blob = cache.locate(sha);
    if (blob.isEmpty()) {
      return Optional.empty();
    }
    String expected = sha + "\n" + FileStamp.of(blob.get()) + "\n" + keyringStamp + "\n";
    if (!Files.readString(record, StandardCharsets.UTF_8).equals(expected)) {
      return Optional.empty();
    }
    return Optional.of(new Verified(entry(pointer.get(), blob.get()), sha));
  }

  /**
   * Records that the stored entry of {@code url}, of SHA-256 {@code sha256}, passed its signature
   * check with the keyring of stamp {@code keyringStamp}; nothing when another entry is stored.
   */
  void recordVerified(String url, String sha256, String keyringStamp) throws IOException {
    Optional<Pointer> pointer = readPointer(url);
    Optional<Path> blob = cache.locate(sha256);
    if (pointer.isEmpty() || !pointer.get().sha256().equals(sha256) || blob.isEmpty()) {
      return;
    }
    String text = sha256 + "\n" + FileStamp.of(blob.get()) + "\n" + keyringStamp + "\n";
    cache.replaceSmallFile(record(url), text.getBytes(StandardCharsets.UTF_8));
  }

  private Optional<Pointer> readPointer(String url) throws IOException {
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
    return Optional.of(
        new Pointer(
            sha,
            Instant.ofEpochSecond(Long.parseLong(confirmed)),
            new HttpValidators(
                Optional.ofNullable(p.getProperty("etag")),
                Optional.ofNullable(p.getProperty("last-modified")))));
  }

  private static Entry entry(Pointer pointer, Path blob) throws IOException {
    return new Entry(Files.readAllBytes(blob), pointer.confirmed(), pointer.validators());
  }

  /** Stores {@code entry} for {@code url}, replacing the previous one. */
  void write(String url, Entry entry) throws IOException, IsoBuildException {
    String sha256 = Sha256.hex(entry.data());
    Path blob = cache.newTempFile();
    try {
      Files.write(blob, entry.data());
      cache.store(blob, sha256, url);
    } finally {
      Files.deleteIfExists(blob);
    }
    Properties p = new Properties();
    p.setProperty("url", url);
    p.setProperty("sha256", sha256);
    p.setProperty("confirmed", Long.toString(entry.confirmed().getEpochSecond()));
    entry.validators().etag().ifPresent(v -> p.setProperty("etag", v));
    entry.validators().lastModified().ifPresent(v -> p.setProperty("last-modified", v));
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    p.store(text, null);
    cache.replaceSmallFile(pointer(url), text.toByteArray());
  }

  /** Forgets {@code url}'s entry (its blob stays until the cache is cleaned). */
  void remove(String url) throws IOException {
    Files.deleteIfExists(record(url));
    Files.deleteIfExists(pointer(url));
  }

  private Path pointer(String url) {
    return cache.root().resolve("indexes").resolve(key(url) + ".properties");
  }

  /** The record of the pointed-to entry's last signature check (see {@link #recordVerified}). */
  private Path record(String url) {
    return cache.root().resolve("indexes").resolve(key(url) + ".verified");
  }

  private static String key(String url) {
    return Sha256.hex(url.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
  }
}
