package org.debvisor.controller.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.debvisor.common.digest.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCacheTest {

  @TempDir Path dir;

  @Test
  void storesByChecksumAndFindsAgain() throws Exception {
    ArtifactCache cache = new ArtifactCache(dir);
    Path file = cache.newTempFile();
    Files.writeString(file, "hello");
    String sha = Sha256.hex("hello".getBytes());

    Path stored = cache.store(file, sha, "hello.txt");

    assertThat(cache.find(sha)).contains(stored);
    assertThat(Files.readString(stored)).isEqualTo("hello");
  }

  @Test
  void refusesAChecksumMismatchNamingTheFile() throws Exception {
    ArtifactCache cache = new ArtifactCache(dir);
    Path file = cache.newTempFile();
    Files.writeString(file, "tampered");
    String expected = Sha256.hex("original".getBytes());

    assertThatThrownBy(() -> cache.store(file, expected, "http://mirror/pool/x.deb"))
        .isInstanceOf(IsoBuildException.class)
        .hasMessageContaining("checksum mismatch for http://mirror/pool/x.deb")
        .hasMessageContaining(expected);
    assertThat(file).doesNotExist();
    assertThat(cache.find(expected)).isEmpty();
  }

  @Test
  void dropsACorruptedCachedFile() throws Exception {
    ArtifactCache cache = new ArtifactCache(dir);
    Path file = cache.newTempFile();
    Files.writeString(file, "hello");
    String sha = Sha256.hex("hello".getBytes());
    Path stored = cache.store(file, sha, "hello.txt");
    Files.writeString(stored, "bit rot");

    assertThat(cache.find(sha)).isEmpty();
    assertThat(stored).doesNotExist();
  }

  @Test
  void aMissingFileIsAnErrorWithItsUrl() {
    VerifiedFetcher fetcher = MirrorFixture.fetcher();

    assertThatThrownBy(
            () -> fetcher.fetch("pool/main/n/no-such-package/none_1_all.deb", "0".repeat(64)))
        .hasMessageContaining(
            "GET http://deb.debian.org/debian/pool/main/n/no-such-package/none_1_all.deb"
                + " answered HTTP 404");
  }

  @Test
  void aSmallFileIsReplacedWholeAndNoTemporaryFileStays() throws Exception {
    ArtifactCache cache = new ArtifactCache(dir);
    Path memo = dir.resolve("indexes").resolve("k.verified");

    cache.replaceSmallFile(memo, "first\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    cache.replaceSmallFile(memo, "2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(memo).hasContent("2");
    try (var left = Files.list(dir.resolve("tmp"))) {
      assertThat(left).isEmpty();
    }
  }
}
