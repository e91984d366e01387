package org.debvisor.controller.iso;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitrdAppenderTest {

  @TempDir Path dir;

  @Test
  void appendsASecondGzipMemberHoldingThePreseed() throws Exception {
    Path original = dir.resolve("initrd.gz");
    byte[] first = new InitrdAppender(0).segment(Map.of("init", "#!/bin/sh\n".getBytes()));
    Files.write(original, first);
    Path target = dir.resolve("out.gz");

    new InitrdAppender(1767225600L)
        .append(original, Map.of("preseed.cfg", "d-i foo string bar\n".getBytes()), target);

    byte[] all = Files.readAllBytes(target);
    assertThat(all).startsWith(first);
    assertThat(readSegment(first)).containsOnlyKeys("init");
    byte[] tail = java.util.Arrays.copyOfRange(all, first.length, all.length);
    assertThat(readSegment(tail)).containsExactly(Map.entry("preseed.cfg", "d-i foo string bar\n"));
  }

  @Test
  void theSegmentIsSortedWithFixedMetadataAndReproducible() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("z.cfg", "z".getBytes());
    files.put("/a.cfg", "a".getBytes());

    byte[] once = new InitrdAppender(1767225600L).segment(files);
    byte[] twice = new InitrdAppender(1767225600L).segment(Map.copyOf(files));

    assertThat(once).isEqualTo(twice);
    try (CpioArchiveInputStream cpio =
        new CpioArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(once)))) {
      CpioArchiveEntry a = cpio.getNextEntry();
      assertThat(a.getName()).isEqualTo("a.cfg");
      assertThat(a.getTime()).isEqualTo(1767225600L);
      assertThat(a.getUID()).isZero();
      assertThat(a.getMode() & 07777).isEqualTo(0644);
      assertThat(cpio.getNextEntry().getName()).isEqualTo("z.cfg");
    }
  }

  /** The regular files of one gzip-compressed cpio archive. */
  static Map<String, String> readSegment(byte[] gzipMember) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    try (CpioArchiveInputStream cpio =
        new CpioArchiveInputStream(
            new GzipCompressorInputStream(
                new BufferedInputStream(new ByteArrayInputStream(gzipMember))),
            "ISO-8859-1")) {
      for (CpioArchiveEntry e; (e = cpio.getNextEntry()) != null; ) {
        if (e.isRegularFile()) {
          files.put(e.getName(), new String(cpio.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
      }
    }
    return files;
  }

  static byte[] gzip(byte[] data) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
