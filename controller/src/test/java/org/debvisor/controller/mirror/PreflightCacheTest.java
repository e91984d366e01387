package org.debvisor.controller.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightCacheTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final PreflightReport REPORT =
      new PreflightReport(
          "20250803+deb13u6",
          "6.12.94+deb13-amd64",
          74,
          List.of(
              new PreflightReport.Missing("e2fsprogs-udeb", "http://m/pool/e.udeb", "HTTP 404"),
              new PreflightReport.Missing("Release.gpg", "http://m/Release.gpg", "bad\tsig\nx")));

  @TempDir Path dir;

  @Test
  void aReportIsReusedWithinTheWindowAndNotAfter() throws Exception {
    String key = PreflightCache.key("http://m/", "trixie", "abc", "amd64", "u6", "true");
    at(T0).write(key, REPORT);

    Optional<PreflightReport> reused =
        at(T0.plus(Duration.ofMinutes(59))).read(key, Optional.empty());
    assertThat(reused)
        .get()
        .satisfies(
            r -> {
              assertThat(r.kernelAbi()).isEqualTo("6.12.94+deb13-amd64");
              assertThat(r.checked()).isEqualTo(74);
              assertThat(r.missing())
                  .extracting(PreflightReport.Missing::reason)
                  .containsExactly("HTTP 404", "bad sig x");
            });
    assertThat(at(T0.plus(Duration.ofMinutes(61))).read(key, Optional.empty())).isEmpty();
    assertThat(
            at(T0.plus(Duration.ofMinutes(5)))
                .read(key, Optional.of(T0.plus(Duration.ofMinutes(4)))))
        .as("past the signed Valid-Until")
        .isEmpty();
    assertThat(
            at(T0)
                .read(
                    PreflightCache.key("http://m/", "trixie", "def", "amd64", "u6", "true"),
                    Optional.empty()))
        .as("another InRelease")
        .isEmpty();
  }

  @Test
  void aDamagedReportIsIgnoredAndNoTemporaryFileStays() throws Exception {
    String key = PreflightCache.key("k");
    at(T0).write(key, REPORT);
    Path file = dir.resolve("preflight").resolve(key + ".tsv");
    Files.writeString(file, Files.readString(file).replace("\tHTTP 404", ""));

    assertThat(at(T0).read(key, Optional.empty())).isEmpty();
    try (var tmp = Files.list(dir.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
  }

  private PreflightCache at(Instant now) {
    return new PreflightCache(
        new ArtifactCache(dir),
        new IndexFreshness(Clock.fixed(now, ZoneOffset.UTC), Duration.ofHours(1)));
  }
}
