package org.debvisor.controller.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.debvisor.common.digest.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verified InRelease cache, against a loopback server that serves Debian's real signed
 * InRelease files (fetched once from the mirror) and counts requests: each ArchiveIndexes below
 * stands for one build at the time its clock says.
 */
class InReleaseCacheTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String PATH = "/debian/dists/trixie/InRelease";

  private static byte[] trixie;
  private static byte[] bookworm;
  private static ClearsignedVerifier verifier;

  @TempDir Path cacheDir;
  private HttpServer server;
  private volatile byte[] served;
  private volatile String etag = "\"v1\"";
  private final List<String> requests = new ArrayList<>();

  @BeforeAll
  static void fetchRealIndexes() throws Exception {
    VerifiedFetcher mirror = MirrorFixture.fetcher();
    trixie = mirror.fetchUnverified("dists/trixie/InRelease");
    bookworm = mirror.fetchUnverified("dists/bookworm/InRelease");
    verifier = MirrorFixture.verifier();
  }

  @BeforeEach
  void serve() throws Exception {
    served = trixie;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        PATH,
        exchange -> {
          String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
          synchronized (requests) {
            requests.add(ifNoneMatch == null ? "GET" : "GET If-None-Match " + ifNoneMatch);
          }
          if (etag.equals(ifNoneMatch)) {
            exchange.sendResponseHeaders(304, -1);
          } else {
            byte[] body = served;
            exchange.getResponseHeaders().add("ETag", etag);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aFreshVerifiedIndexIsUsedWithoutARequest() throws Exception {
    String first = build(T0).releaseSha256();
    String second = build(T0.plus(Duration.ofMinutes(59))).releaseSha256();

    assertThat(requests).containsExactly("GET");
    assertThat(first).isEqualTo(second).isEqualTo(Sha256.hex(trixie));
    assertThat(
            build(T0.plus(Duration.ofMinutes(30)))
                .release()
                .sha256("main/binary-amd64/Packages.xz"))
        .isPresent();
  }

  @Test
  void anIndexVerifiedBeforeAndUnchangedIsNotCheckedAgain() throws Exception {
    ArchiveIndexes first = build(T0);
    first.release();
    ArchiveIndexes second = build(T0.plus(Duration.ofMinutes(30)));

    assertThat(second.releaseSha256()).isEqualTo(Sha256.hex(trixie));
    assertThat(first.reusedVerified()).isFalse();
    assertThat(second.reusedVerified()).isTrue();
    assertThat(second.release().sha256("main/binary-amd64/Packages.xz")).isPresent();
    assertThat(requests).containsExactly("GET");
  }

  @Test
  void aCachedIndexWrittenAgainIsCheckedAgain() throws Exception {
    build(T0).release();
    Path blob = cachedBlob();

    Files.write(blob, trixie); // same bytes, new ctime: hashed and checked again, then trusted
    ArchiveIndexes rewritten = build(T0.plus(Duration.ofMinutes(1)));
    assertThat(rewritten.releaseSha256()).isEqualTo(Sha256.hex(trixie));
    assertThat(rewritten.reusedVerified()).isFalse();
    ArchiveIndexes next = build(T0.plus(Duration.ofMinutes(2)));
    next.release();
    assertThat(next.reusedVerified()).isTrue();

    Files.write(blob, tampered(trixie)); // altered in place: refused, fetched again
    ArchiveIndexes altered = build(T0.plus(Duration.ofMinutes(3)));
    assertThat(altered.releaseSha256()).isEqualTo(Sha256.hex(trixie));
    assertThat(altered.reusedVerified()).isFalse();
    assertThat(requests).containsExactly("GET", "GET");
  }

  @Test
  void aChangedKeyringChecksTheCachedIndexAgain() throws Exception {
    Path keyring = cacheDir.resolveSibling(cacheDir.getFileName() + "-keyring.gpg");
    Files.copy(ClearsignedVerifier.DEBIAN_KEYRING, keyring);
    try {
      build(T0, ClearsignedVerifier.fromKeyring(keyring)).release();

      // Rewritten with the same keys: checked again, and passes.
      Files.write(keyring, Files.readAllBytes(ClearsignedVerifier.DEBIAN_KEYRING));
      ArchiveIndexes same =
          build(T0.plus(Duration.ofMinutes(1)), ClearsignedVerifier.fromKeyring(keyring));
      assertThat(same.releaseSha256()).isEqualTo(Sha256.hex(trixie));
      assertThat(same.reusedVerified()).isFalse();

      // Emptied: the record of the earlier check does not stand in for the keys.
      Files.write(keyring, new byte[0]);
      List<String> warnings = new ArrayList<>();
      assertThatThrownBy(
              () ->
                  build(
                          T0.plus(Duration.ofMinutes(2)),
                          ClearsignedVerifier.fromKeyring(keyring),
                          warnings)
                      .release())
          .isInstanceOf(IsoBuildException.class)
          .hasMessageContaining("keyring");
    } finally {
      Files.deleteIfExists(keyring);
    }
  }

  @Test
  void aStaleIndexIsRevalidatedThenRefetchedWhenTheMirrorChangedIt() throws Exception {
    build(T0).release();

    build(T0.plus(Duration.ofMinutes(61))).release(); // 304: confirmed again
    build(T0.plus(Duration.ofMinutes(100))).release(); // within an hour of that: no request
    assertThat(requests).containsExactly("GET", "GET If-None-Match \"v1\"");

    served = bookworm; // the mirror published a new, validly signed index
    etag = "\"v2\"";
    String renewed = build(T0.plus(Duration.ofMinutes(200))).releaseSha256();
    String reused = build(T0.plus(Duration.ofMinutes(210))).releaseSha256();

    assertThat(requests).hasSize(3).last().isEqualTo("GET If-None-Match \"v1\"");
    assertThat(renewed).isEqualTo(reused).isEqualTo(Sha256.hex(bookworm));
  }

  @Test
  void aTamperedCachedIndexIsRefusedAndFetchedAgain() throws Exception {
    build(T0).release();
    String url = mirror().resolve("dists/trixie/InRelease").toString();
    // Altered as a whole, checksum and pointer rewritten to match: only the signature can tell.
    new CachedIndexStore(new ArtifactCache(cacheDir))
        .write(url, new CachedIndexStore.Entry(tampered(trixie), T0, HttpValidators.NONE));
    List<String> warnings = new ArrayList<>();

    ArchiveIndexes indexes = build(T0.plus(Duration.ofMinutes(1)), warnings);

    assertThat(indexes.releaseSha256()).isEqualTo(Sha256.hex(trixie));
    assertThat(requests).containsExactly("GET", "GET");
    assertThat(warnings).singleElement().asString().contains("bad OpenPGP signature", "again");
    assertThat(build(T0.plus(Duration.ofMinutes(2))).releaseSha256()).isEqualTo(Sha256.hex(trixie));
    assertThat(requests).hasSize(2);
  }

  @Test
  void aBadDownloadIsRefusedAndLeavesNothingInTheCache() throws Exception {
    served = tampered(trixie);

    assertThatThrownBy(() -> build(T0).release())
        .isInstanceOf(IsoBuildException.class)
        .hasMessageContaining(PATH)
        .hasMessageContaining("bad OpenPGP signature");

    assertThat(filesUnder(cacheDir)).isEmpty();
  }

  @Test
  void aBadRefetchKeepsThePreviousEntryUnchanged() throws Exception {
    build(T0).release();
    List<Path> before = filesUnder(cacheDir);
    Path pointer =
        before.stream().filter(p -> p.toString().endsWith(".properties")).findFirst().get();
    String pointerBefore = Files.readString(pointer);
    served = tampered(trixie);
    etag = "\"v2\"";

    assertThatThrownBy(() -> build(T0.plus(Duration.ofHours(2))).release())
        .hasMessageContaining("bad OpenPGP signature");

    assertThat(filesUnder(cacheDir)).isEqualTo(before);
    assertThat(Files.readString(pointer)).isEqualTo(pointerBefore);
  }

  private ArchiveIndexes build(Instant now) {
    return build(now, new ArrayList<>());
  }

  private ArchiveIndexes build(Instant now, List<String> warnings) {
    return build(now, verifier, warnings);
  }

  private ArchiveIndexes build(Instant now, ClearsignedVerifier keys) {
    return build(now, keys, new ArrayList<>());
  }

  private ArchiveIndexes build(Instant now, ClearsignedVerifier keys, List<String> warnings) {
    Progress progress = new RecordingProgress(warnings);
    return new ArchiveIndexes(
        new VerifiedFetcher(mirror(), new ArtifactCache(cacheDir), Progress.NONE),
        keys,
        "trixie",
        new IndexFreshness(Clock.fixed(now, ZoneOffset.UTC), Duration.ofHours(1)),
        progress);
  }

  private MirrorClient mirror() {
    return MirrorClient.create(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/debian"));
  }

  /** The cached InRelease's blob. */
  private Path cachedBlob() throws Exception {
    return filesUnder(cacheDir.resolve("sha256")).stream()
        .filter(p -> p.getFileName().toString().equals(Sha256.hex(trixie)))
        .findFirst()
        .orElseThrow();
  }

  /** One byte of the signed text changed. */
  private static byte[] tampered(byte[] inRelease) {
    String text = new String(inRelease, StandardCharsets.UTF_8);
    byte[] copy = inRelease.clone();
    copy[text.indexOf("Origin: Debian") + "Origin: D".length()] = 'X';
    return copy;
  }

  /** Regular files only: empty directories left by a failed fill are harmless. */
  private static List<Path> filesUnder(Path dir) throws Exception {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
