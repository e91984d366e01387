package org.debvisor.agent.collect.ceph;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON captured from ceph-micro.sh clusters (Ceph 16.2.15) with the read-only client.debvisor key:
 * {@code healthy} (3 objects in pool demo), {@code noout} ({@code ceph osd set noout}) and {@code
 * full} (noout muted, full ratios lowered until osd.0 is full, a second pool {@code bare}).
 */
final class CephSamples {

  private CephSamples() {}

  static String read(String sample, String command) {
    String name = "/ceph/" + sample + "-" + command + ".json";
    try (InputStream in = CephSamples.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static org.debvisor.proto.CephDetails parse(String sample) {
    return new CephReportParser()
        .parse(read(sample, "status"), read(sample, "health"), read(sample, "df"));
  }
}
