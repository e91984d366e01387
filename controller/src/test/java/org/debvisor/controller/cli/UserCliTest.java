package org.debvisor.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.audit.AuditRecord;
import org.debvisor.controller.inventory.Database;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `debvisor user add|passwd|del|list` on a real state directory, without a controller. */
class UserCliTest {

  @TempDir Path state;
  @TempDir Path files;

  private final StringWriter out = new StringWriter();

  @BeforeEach
  void createDatabase() {
    Database.open(state.resolve("controller.db")).close();
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    var cmd = DebvisorCli.create(null, Map.of("DEBVISOR_STATE_DIR", state.toString()));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(out, true));
    return cmd.execute(args);
  }

  private Path password(String text) throws Exception {
    Path f = Files.createTempFile(files, "pw", "");
    Files.writeString(f, text + "\n");
    return f;
  }

  private String list() {
    assertThat(run("user", "list")).isZero();
    return out.toString();
  }

  private List<AuditRecord> audit() throws Exception {
    try (Connection c = Database.readOnlyConnection(state.resolve("controller.db"))) {
      return AuditLog.page(c, 0, 1_000);
    }
  }

  @Test
  void addListPasswdDelAreAudited() throws Exception {
    assertThat(
            run(
                "user",
                "add",
                "alice",
                "--role",
                "admin",
                "--password-file",
                password("alice-secret-pw").toString()))
        .isZero();
    assertThat(
            run(
                "user",
                "add",
                "bob",
                "--role",
                "viewer",
                "--password-file",
                password("bob-secret-pw-1").toString()))
        .isZero();
    assertThat(list()).contains("alice").contains("admin").contains("bob").contains("viewer");
    assertThat(
            run("user", "passwd", "bob", "--password-file", password("bob-secret-pw-2").toString()))
        .isZero();
    assertThat(run("user", "del", "bob")).isZero();
    assertThat(list()).doesNotContain("bob");
    assertThat(audit())
        .extracting(a -> a.entry().action() + " " + a.entry().target())
        .containsExactly("user.add alice", "user.add bob", "user.passwd bob", "user.del bob");
    assertThat(audit()).allSatisfy(a -> assertThat(a.entry().detail()).doesNotContain("secret"));
  }

  @Test
  void badInputIsRefusedAndChangesNothing() throws Exception {
    assertThat(
            run(
                "user",
                "add",
                "carol",
                "--role",
                "admin",
                "--password-file",
                password("carol-secret-pw").toString()))
        .isZero();
    int rows = audit().size();
    String before = list();

    assertThat(
            run(
                "user",
                "add",
                "dave",
                "--role",
                "admin",
                "--password-file",
                password("short").toString()))
        .isEqualTo(2);
    assertThat(out.toString()).contains("password").contains("at least 12");
    assertThat(
            run(
                "user",
                "add",
                "Bad Name",
                "--role",
                "viewer",
                "--password-file",
                password("long-enough-pw").toString()))
        .isEqualTo(2);
    assertThat(out.toString()).contains("name");
    assertThat(
            run(
                "user",
                "add",
                "erin",
                "--role",
                "root",
                "--password-file",
                password("long-enough-pw").toString()))
        .isEqualTo(2);
    assertThat(out.toString()).contains("--role");
    assertThat(
            run(
                "user",
                "add",
                "carol",
                "--role",
                "viewer",
                "--password-file",
                password("long-enough-pw").toString()))
        .isEqualTo(1);
    assertThat(out.toString()).contains("exists");
    assertThat(run("user", "add", "frank", "--role", "viewer", "--password", "on-the-command-line"))
        .isEqualTo(2);
    assertThat(
            run(
                "user",
                "passwd",
                "nobody",
                "--password-file",
                password("long-enough-pw").toString()))
        .isEqualTo(1);
    assertThat(out.toString()).contains("no user 'nobody'");
    assertThat(run("user", "del", "carol")).isEqualTo(1);
    assertThat(out.toString()).contains("last admin");

    assertThat(list()).isEqualTo(before);
    assertThat(audit()).hasSize(rows);
  }

  @Test
  void roleChangesAreAuditedAndTheLastAdminStays() throws Exception {
    Path pw = password("role-test-secret");
    assertThat(run("user", "add", "gina", "--role", "admin", "--password-file", pw.toString()))
        .isZero();
    assertThat(run("user", "add", "hal", "--role", "viewer", "--password-file", pw.toString()))
        .isZero();

    assertThat(run("user", "role", "hal", "--role", "operator")).isZero();
    assertThat(out.toString()).contains("user hal is operator");
    assertThat(list()).containsPattern("hal +operator");
    assertThat(audit())
        .extracting(a -> a.entry().action() + " " + a.entry().target() + " " + a.entry().detail())
        .endsWith("user.role hal from viewer to operator");

    int rows = audit().size();
    String before = list();
    assertThat(run("user", "role", "gina", "--role", "viewer")).isEqualTo(1);
    assertThat(out.toString()).contains("last admin").contains("make another user admin first");
    assertThat(run("user", "role", "hal", "--role", "root")).isEqualTo(2);
    assertThat(out.toString()).contains("--role").contains("'root'");
    assertThat(run("user", "role", "nobody", "--role", "viewer")).isEqualTo(1);
    assertThat(out.toString()).contains("no user 'nobody'");
    assertThat(list()).isEqualTo(before);
    assertThat(audit()).hasSize(rows);
  }
}
