package org.debvisor.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.backup.BackupProgress;
import org.debvisor.controller.backup.BackupResult;
import org.debvisor.controller.backup.CaKeyCipher;
import org.debvisor.controller.backup.ControllerBackup;
import org.debvisor.controller.backup.ControllerRestore;
import org.debvisor.controller.backup.Passphrase;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.server.Controller;
import org.debvisor.controller.server.ControllerSettings;

/**
 * {@code bench/backup-run}: backup and restore of a controller holding N nodes and M audit rows,
 * beside the same-run limit, a raw copy of the same database file plus fsync. Writes
 * docs/backup-benchmarks.md (summary between markers, which bench/run copies).
 */
public final class BackupBenchmark {

  private final int nodes;
  private final int auditRows;
  private final int runs;
  private final Path work;

  BackupBenchmark(int nodes, int auditRows, int runs, Path work) {
    this.nodes = nodes;
    this.auditRows = auditRows;
    this.runs = runs;
    this.work = work;
  }

  /** Median of one measured step over the runs. */
  record Figure(String what, double seconds, long bytes) {}

  /** A figure beside the same-run limit it is compared with. */
  record Row(Figure figure, Figure limit) {}

  /** The engines measured, SQLite's rows first. */
  enum Engine {
    sqlite,
    postgresql
  }

  public static void main(String[] args) throws Exception {
    int nodes = 10_000;
    int audit = 100_000;
    int runs = 3;
    Path out = Path.of("docs/backup-benchmarks.md");
    String command = "bench/backup-run";
    List<Engine> engines = List.of(Engine.values());
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--audit-rows" -> audit = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Math.max(1, Math.min(10, Integer.parseInt(args[++i])));
        case "--out" -> out = Path.of(args[++i]);
        case "--command" -> command = args[++i];
        case "--engines" ->
            engines = java.util.Arrays.stream(args[++i].split(",")).map(Engine::valueOf).toList();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("debvisor-backup-bench");
    try {
      BackupBenchmark bench = new BackupBenchmark(nodes, audit, runs, work);
      StringBuilder markdown = new StringBuilder();
      for (Engine engine : engines) {
        List<Row> rows =
            engine == Engine.sqlite
                ? bench.run()
                : new PostgresBackupBench(nodes, audit, runs, work.resolve("pg"))
                    .run(bench.passphrase());
        if (!markdown.isEmpty()) {
          markdown.append('\n');
        }
        markdown.append(markdown(engine, rows, nodes, audit, runs));
      }
      System.out.println(markdown);
      String page =
          "# Backup and restore benchmark\n\n"
              + "Produced by `"
              + command
              + "` on "
              + LocalDate.now()
              + " ("
              + Runtime.getRuntime().availableProcessors()
              + " cores, host "
              + InetAddress.getLocalHost().getHostName()
              + ", Java "
              + System.getProperty("java.version")
              + "). A controller state directory made by a real controller, filled with "
              + nodes
              + " nodes and "
              + auditRows(audit)
              + " audit rows (a valid hash chain), is backed up with `ControllerBackup` (the code"
              + " of `debvisor backup`, PBKDF2 600 000 rounds for the CA key) and restored into an"
              + " empty directory with `ControllerRestore` (checksums, passphrase, schema check,"
              + " audit entry). The limit is measured in the same run: a plain copy of the same"
              + " database file plus fsync. Medians of "
              + runs
              + " runs. The PostgreSQL rows back up an inventory of the same size with"
              + " `PostgresBackup` (`debvisor backup --database-url`: pg_dump plus the state"
              + " directory's files and the encrypted CA key) and restore it into an empty database"
              + " with `PostgresRestore`; their limits are a bare `pg_dump -Fc` of the same"
              + " database plus fsync and a bare `pg_restore --single-transaction` of that dump,"
              + " both by the same PostgreSQL's programs. That server is the tests' own (initdb in a"
              + " temporary directory, loopback, `fsync=off` for every row alike). RPO/RTO read"
              + " from these in [backup.md](backup.md).\n\n"
              + OptInSection.START
              + "\n"
              + markdown
              + OptInSection.END
              + "\n";
      Files.writeString(out, page, StandardCharsets.UTF_8);
      System.out.println("wrote " + out);
      Path benchmarks = out.toAbsolutePath().getParent().resolve("benchmarks.md");
      if (Files.isRegularFile(benchmarks)) {
        OptInSection.BACKUP.updateIn(benchmarks, OptInSection.ROLLOUT);
        System.out.println("updated " + benchmarks);
      }
    } finally {
      deleteTree(work);
    }
  }

  private static String auditRows(int n) {
    return String.format("%,d", n).replace(',', ' ');
  }

  /** The backup passphrase every row uses, from a file as the CLI reads it. */
  Passphrase passphrase() throws Exception {
    Path passphraseFile = work.resolve("passphrase");
    if (!Files.exists(passphraseFile)) {
      Files.writeString(passphraseFile, "benchmark passphrase, not secret\n");
    }
    return Passphrase.read(passphraseFile);
  }

  List<Row> run() throws Exception {
    Path state = work.resolve("state");
    try (Controller controller =
        Controller.start(
            ControllerSettings.defaults(state).withListen("127.0.0.1", 0),
            new SimpleMeterRegistry(),
            Clock.systemUTC())) {
      System.out.println("controller state created in " + state + " on " + controller.address());
    }
    try (Database file = Database.open(state.resolve("controller.db"))) {
      fill(file, nodes, auditRows);
    }
    Passphrase passphrase = passphrase();
    Path db = state.resolve("controller.db");
    List<Figure> raw = new ArrayList<>();
    List<Figure> backups = new ArrayList<>();
    List<Figure> restores = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Path copy = work.resolve("raw-" + i + ".db");
      long start = System.nanoTime();
      Files.copy(db, copy);
      try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      raw.add(
          new Figure("raw copy + fsync of controller.db", secondsSince(start), Files.size(copy)));
      Files.delete(copy);

      Path target = work.resolve("backup-" + i);
      start = System.nanoTime();
      BackupResult result =
          new ControllerBackup(
                  "bench",
                  new CaKeyCipher(CaKeyCipher.DEFAULT_ITERATIONS),
                  Clock.systemUTC(),
                  "bench",
                  BackupProgress.SILENT)
              .backup(state, target, passphrase);
      backups.add(new Figure("debvisor backup", secondsSince(start), result.bytes()));

      Path restored = work.resolve("restored-" + i);
      start = System.nanoTime();
      new ControllerRestore(
              "bench",
              new CaKeyCipher(CaKeyCipher.DEFAULT_ITERATIONS),
              Clock.systemUTC(),
              "bench",
              BackupProgress.SILENT)
          .restore(target, restored, passphrase, false, false);
      restores.add(new Figure("debvisor restore", secondsSince(start), size(restored)));
      deleteTree(restored);
      deleteTree(target);
    }
    Figure limit = median(raw);
    return List.of(
        new Row(limit, limit), new Row(median(backups), limit), new Row(median(restores), limit));
  }

  /** Inserts the nodes and appends the audit rows through the product's own AuditLog. */
  static void fill(Database db, int nodes, int auditRows) {
    long now = System.currentTimeMillis();
    byte[] facts = new byte[600];
    new java.util.Random(1).nextBytes(facts);
    AuditLog audit = new AuditLog(Clock.systemUTC());
    db.write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO nodes (id, hostname, profile, arch, agent_address, agent_version,"
                      + " state, enrolled_at, last_seen, cert_serial, cert_not_after, facts)"
                      + " VALUES (?, ?, 'ceph', 'amd64', ?, '0.1.0', 'ACTIVE', ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < nodes; i++) {
              ps.setString(1, String.format("%032x", i));
              ps.setString(2, "node-" + i);
              ps.setString(
                  3, "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + ":5000");
              ps.setLong(4, now);
              ps.setLong(5, now);
              ps.setString(6, String.format("%032x", i * 7919L));
              ps.setLong(7, now + 7 * 86_400_000L);
              ps.setBytes(8, facts);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
    int batch = 10_000;
    for (int done = 0; done < auditRows; done += batch) {
      int from = done;
      int to = Math.min(auditRows, done + batch);
      db.write(
          c -> {
            for (int i = from; i < to; i++) {
              audit.append(
                  c,
                  new AuditEntry(
                      "operator",
                      "node.heartbeat",
                      String.format("%032x", i % Math.max(1, nodes)),
                      "10.0.0.1",
                      "ok",
                      "bench row " + i));
            }
            return null;
          });
    }
    System.out.println("filled: " + nodes + " nodes, " + auditRows + " audit rows");
  }

  static double secondsSince(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  static Figure median(List<Figure> figures) {
    List<Figure> sorted =
        figures.stream().sorted(Comparator.comparingDouble(Figure::seconds)).toList();
    return sorted.get(sorted.size() / 2);
  }

  private static String markdown(Engine engine, List<Row> rows, int nodes, int audit, int runs) {
    StringBuilder md = new StringBuilder();
    md.append(engine == Engine.sqlite ? "SQLite controller" : "PostgreSQL inventory")
        .append(" with ")
        .append(nodes)
        .append(" nodes and ")
        .append(auditRows(audit))
        .append(" audit rows, median of ")
        .append(runs)
        .append(" runs:\n\n");
    md.append("| step | time | size | × limit |\n| --- | ---: | ---: | ---: |\n");
    for (Row row : rows) {
      Figure f = row.figure();
      md.append(
          String.format(
              "| %s | %.2f s | %.1f MiB | %.1f |%n",
              f == row.limit() ? f.what() + " (the limit)" : f.what(),
              f.seconds(),
              f.bytes() / 1048576.0,
              f.seconds() / row.limit().seconds()));
    }
    return md.toString();
  }

  private static long size(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
