package org.debvisor.controller.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL from Debian's {@code postgresql} package for tests: initdb into a temporary
 * directory, postgres on a free loopback port, no systemd. As root it runs as the {@code postgres}
 * user (the server refuses root). Each test takes a fresh database from {@link #createDatabase}.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String USER = "debvisor";
  private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");
  private static final long COMMAND_TIMEOUT_S = 60;

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asPostgresUser;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** initdb and start; fails (not skips) when the package is missing: the test set-up is broken. */
  public static PostgresServer start() throws IOException {
    Path bin = binDirectory();
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("debvisor-pg");
    if (root) {
      UserPrincipal postgres =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    }
    PostgresServer server = new PostgresServer(bin, dir, freePort(), root);
    try {
      server.run(
          "initdb",
          "-D",
          server.data().toString(),
          "-U",
          USER,
          "-A",
          "trust",
          "-E",
          "UTF8",
          "--no-sync",
          "--no-instructions");
      server.startServer();
      return server;
    } catch (IOException | RuntimeException e) {
      server.deleteDirectory();
      throw e;
    }
  }

  private static Path binDirectory() throws IOException {
    if (!Files.isDirectory(DEBIAN_VERSIONS)) {
      throw new IllegalStateException(
          "PostgreSQL is not installed (no "
              + DEBIAN_VERSIONS
              + "); scripts/test.sh installs Debian's postgresql package (DEBVISOR_TEST_PACKAGES)");
    }
    try (Stream<Path> versions = Files.list(DEBIAN_VERSIONS)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString())))
          .orElseThrow(
              () -> new IllegalStateException("no initdb under " + DEBIAN_VERSIONS + "/*/bin"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Path data() {
    return dir.resolve("data");
  }

  /** Starts the server again after {@link #stop}, same port and data. */
  public void startServer() throws IOException {
    run(
        "pg_ctl",
        "-D",
        data().toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-t",
        "30",
        "-o",
        "-h 127.0.0.1 -p " + port + " -k " + dir + " -c fsync=off -c max_connections=50",
        "start");
  }

  /** Fast shutdown: open connections are cut, as when a database server goes away. */
  public void stop() throws IOException {
    run("pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "-t", "30", "stop");
  }

  /** A new, empty database owned by {@link #USER}; its URL for the controller. */
  public PostgresUrl createDatabase() throws SQLException {
    String name = "inventory_" + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return new PostgresUrl(USER, "", "127.0.0.1", port, name);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /**
   * A program of this server's PostgreSQL version (pg_dump, pg_restore), for benchmarks' limits.
   */
  public Path program(String name) {
    return bin.resolve(name);
  }

  private void run(String program, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    if (asPostgresUser) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    Path output = dir.resolve(program + ".out");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(program + " did not finish in " + COMMAND_TIMEOUT_S + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while running " + program, e);
    }
    if (p.exitValue() != 0) {
      String log = dir.resolve("server.log").toFile().exists() ? read("server.log") : "";
      throw new IOException(
          String.join(" ", command)
              + " exited "
              + p.exitValue()
              + ":\n"
              + Files.readString(output, StandardCharsets.UTF_8)
              + log);
    }
  }

  private String read(String file) {
    try {
      return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws IOException {
    try {
      stop();
    } finally {
      deleteDirectory();
    }
  }

  private void deleteDirectory() {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
