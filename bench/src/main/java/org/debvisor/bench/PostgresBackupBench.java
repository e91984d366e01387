package org.debvisor.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.debvisor.bench.BackupBenchmark.Figure;
import org.debvisor.bench.BackupBenchmark.Row;
import org.debvisor.controller.backup.BackupProgress;
import org.debvisor.controller.backup.BackupResult;
import org.debvisor.controller.backup.CaKeyCipher;
import org.debvisor.controller.backup.Passphrase;
import org.debvisor.controller.backup.PostgresBackup;
import org.debvisor.controller.backup.PostgresRestore;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.PostgresServer;
import org.debvisor.controller.inventory.PostgresUrl;
import org.debvisor.controller.pki.CertificateAuthority;

/**
 * The PostgreSQL rows of {@code bench/backup-run}: {@code debvisor backup --database-url} and
 * {@code restore --database-url} of an inventory with N nodes and M audit rows, beside the same-run
 * limits, a bare {@code pg_dump -Fc} (plus fsync) and a bare {@code pg_restore
 * --single-transaction} of the same database by the same PostgreSQL's programs. The server is the
 * tests' own (initdb in a temporary directory, loopback, fsync=off for every row alike).
 */
final class PostgresBackupBench {

  private static final long TOOL_TIMEOUT_S = 1_800;

  private final int nodes;
  private final int auditRows;
  private final int runs;
  private final Path work;

  PostgresBackupBench(int nodes, int auditRows, int runs, Path work) {
    this.nodes = nodes;
    this.auditRows = auditRows;
    this.runs = runs;
    this.work = work;
  }

  List<Row> run(Passphrase passphrase) throws Exception {
    try (PostgresServer server = PostgresServer.start()) {
      PostgresUrl live = server.createDatabase();
      try (Database db = Database.open(live)) {
        BackupBenchmark.fill(db, nodes, auditRows);
      }
      // A single controller's state beside the inventory: its CA key travels encrypted, as for
      // SQLite, so both engines' backups pay the same PBKDF2.
      Path state = work.resolve("pg-state");
      CertificateAuthority.loadOrCreate(state.resolve("pki"), Clock.systemUTC());
      Files.writeString(state.resolve("operator-token"), "dvop_benchmark\n");
      List<Figure> dumps = new ArrayList<>();
      List<Figure> backups = new ArrayList<>();
      List<Figure> loads = new ArrayList<>();
      List<Figure> restores = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        Path raw = work.resolve("raw-" + i + ".pgdump");
        long start = System.nanoTime();
        tool(
            server,
            live,
            "pg_dump",
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file=" + raw);
        try (FileChannel channel = FileChannel.open(raw, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        dumps.add(
            new Figure(
                "bare pg_dump -Fc + fsync", BackupBenchmark.secondsSince(start), Files.size(raw)));

        Path target = work.resolve("pg-backup-" + i);
        start = System.nanoTime();
        BackupResult result =
            new PostgresBackup(
                    "bench",
                    new CaKeyCipher(CaKeyCipher.DEFAULT_ITERATIONS),
                    Clock.systemUTC(),
                    "bench",
                    BackupProgress.SILENT)
                .backup(live, state, target, passphrase);
        backups.add(
            new Figure(
                "debvisor backup --database-url",
                BackupBenchmark.secondsSince(start),
                result.bytes()));

        PostgresUrl bare = server.createDatabase();
        start = System.nanoTime();
        tool(
            server,
            bare,
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            raw.toString());
        loads.add(
            new Figure(
                "bare pg_restore --single-transaction",
                BackupBenchmark.secondsSince(start),
                Files.size(raw)));

        PostgresUrl fresh = server.createDatabase();
        Path restoredState = work.resolve("pg-restored-" + i);
        start = System.nanoTime();
        new PostgresRestore(
                "bench",
                new CaKeyCipher(CaKeyCipher.DEFAULT_ITERATIONS),
                Clock.systemUTC(),
                "bench",
                BackupProgress.SILENT)
            .restore(target, fresh, restoredState, passphrase, false, false);
        restores.add(
            new Figure(
                "debvisor restore --database-url",
                BackupBenchmark.secondsSince(start),
                result.bytes()));

        drop(server, bare, fresh);
        Files.delete(raw);
        BackupBenchmark.deleteTree(target);
        BackupBenchmark.deleteTree(restoredState);
      }
      Figure dump = BackupBenchmark.median(dumps);
      Figure load = BackupBenchmark.median(loads);
      return List.of(
          new Row(dump, dump),
          new Row(BackupBenchmark.median(backups), dump),
          new Row(load, load),
          new Row(BackupBenchmark.median(restores), load));
    }
  }

  /** Runs one of the server's programs against {@code url}; fails with its output. */
  private static void tool(PostgresServer server, PostgresUrl url, String program, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                server.program(program).toString(),
                "--host=" + url.host(),
                "--port=" + url.port(),
                "--username=" + url.user(),
                "--dbname=" + url.database(),
                "--no-password"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(TOOL_TIMEOUT_S, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(program + " did not finish in " + TOOL_TIMEOUT_S + " s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(program + " exited " + p.exitValue() + ": " + output);
    }
  }

  /** Drops the restored copies, so the runs do not fill the disk. */
  private static void drop(PostgresServer server, PostgresUrl... databases) throws Exception {
    try (Connection c =
            DriverManager.getConnection(server.jdbcUrl("postgres"), PostgresServer.USER, "");
        Statement s = c.createStatement()) {
      for (PostgresUrl url : databases) {
        s.execute("DROP DATABASE " + url.database());
      }
    }
  }
}
