package org.debvisor.bench;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.HdrHistogram.Histogram;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The raw cost of the durable parts of an enrolment, one thread each, nothing else: one SQLite
 * commit (WAL, synchronous=FULL, one row inserted) or one PostgreSQL commit of the same row over
 * loopback, and one certificate signed with an EC P-256 key (SHA256withECDSA, as the controller's
 * CA does).
 */
final class DurablePartsBaseline {

  private static final long MAX_ITERATIONS = 1_000_000;

  private DurablePartsBaseline() {}

  static LoadResult sqliteCommit(Path dir, Duration duration) throws Exception {
    Files.createDirectories(dir);
    Histogram latencies = new Histogram(3);
    long count = 0;
    long start;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("raw.db"))) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB)");
      }
      c.setAutoCommit(false);
      byte[] row = new byte[600];
      start = System.nanoTime();
      long end = start + duration.toNanos();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
        while (System.nanoTime() < end && count < MAX_ITERATIONS) {
          long t0 = System.nanoTime();
          ps.setBytes(1, row);
          ps.executeUpdate();
          c.commit();
          latencies.recordValue((System.nanoTime() - t0) / 1000);
          count++;
        }
      }
    }
    return LoadResult.of(
        "SQLite insert + commit (WAL, synchronous=FULL), 1 thread",
        "raw",
        latencies,
        count,
        0,
        (System.nanoTime() - start) / 1e9);
  }

  /** One row inserted and committed per transaction in a table of its own in {@code url}. */
  static LoadResult postgresCommit(org.debvisor.controller.inventory.PostgresUrl url, Duration d)
      throws Exception {
    Histogram latencies = new Histogram(3);
    long count = 0;
    long start;
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS bench_raw (id BIGSERIAL PRIMARY KEY, v BYTEA)");
      }
      c.setAutoCommit(false);
      byte[] row = new byte[600];
      start = System.nanoTime();
      long end = start + d.toNanos();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_raw (v) VALUES (?)")) {
        while (System.nanoTime() < end && count < MAX_ITERATIONS) {
          long t0 = System.nanoTime();
          ps.setBytes(1, row);
          ps.executeUpdate();
          c.commit();
          latencies.recordValue((System.nanoTime() - t0) / 1000);
          count++;
        }
      }
    }
    return LoadResult.of(
        "PostgreSQL insert + commit (loopback, the run's server settings), 1 thread",
        "raw",
        latencies,
        count,
        0,
        (System.nanoTime() - start) / 1e9);
  }

  static LoadResult certificateSignature(Duration duration) throws Exception {
    KeyPairGenerator ca = KeyPairGenerator.getInstance("EC");
    ca.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair caKeys = ca.generateKeyPair();
    KeyPairGenerator node = KeyPairGenerator.getInstance("EC");
    node.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair nodeKeys = node.generateKeyPair();
    Histogram latencies = new Histogram(3);
    long count = 0;
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    Instant now = Instant.now();
    while (System.nanoTime() < end && count < MAX_ITERATIONS) {
      long t0 = System.nanoTime();
      ContentSigner signer =
          new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
      new JcaX509v3CertificateBuilder(
              new X500Name("CN=bench CA"),
              BigInteger.valueOf(count + 1),
              Date.from(now),
              Date.from(now.plus(Duration.ofDays(7))),
              new X500Name("CN=node-" + count),
              nodeKeys.getPublic())
          .build(signer);
      latencies.recordValue((System.nanoTime() - t0) / 1000);
      count++;
    }
    return LoadResult.of(
        "sign one certificate (EC P-256, SHA256withECDSA), 1 thread",
        "raw",
        latencies,
        count,
        0,
        (System.nanoTime() - start) / 1e9);
  }
}
