package org.debvisor.controller.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The documentation against the code: every relative link and anchor resolves, every documented
 * {@code debvisor}/{@code cephctl}/{@code hvctl}/{@code k8sctl}/{@code debvisor-provision-node}
 * command names real subcommands and options, the cheap documented commands run, and the man page
 * lists every command. A renamed flag or file breaks the build instead of the reader.
 */
class DocumentationTest {

  private static final Path ROOT =
      Path.of(System.getProperty("debvisor.repoRoot", "..")).toAbsolutePath().normalize();
  private static final Pattern EXTERNAL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");

  private static List<MarkdownFile> docs;

  @TempDir Path dir;

  @BeforeAll
  static void readDocs() throws IOException {
    List<Path> paths = new ArrayList<>();
    paths.add(ROOT.resolve("README.md"));
    paths.add(ROOT.resolve("molecule/README.md"));
    paths.add(ROOT.resolve("iso/README.md"));
    paths.add(ROOT.resolve("proto/released/README.md"));
    try (Stream<Path> md = Files.list(ROOT.resolve("docs"))) {
      md.filter(p -> p.toString().endsWith(".md")).sorted().forEach(paths::add);
    }
    try (Stream<Path> ansible = Files.walk(ROOT.resolve("ansible"))) {
      ansible
          .filter(p -> p.getFileName().toString().equals("README.md"))
          .sorted()
          .forEach(paths::add);
    }
    docs = new ArrayList<>();
    for (Path path : paths) {
      docs.add(MarkdownFile.read(ROOT, path));
    }
  }

  @Test
  void relativeLinksPointAtExistingFilesAndHeadings() throws IOException {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (MarkdownFile doc : docs) {
      for (MarkdownFile.Located link : doc.links()) {
        if (EXTERNAL.matcher(link.text()).matches()) {
          continue;
        }
        checked++;
        String where = doc.name() + ":" + link.line() + ": link `" + link.text() + "`";
        int hash = link.text().indexOf('#');
        String file = hash < 0 ? link.text() : link.text().substring(0, hash);
        Path target = file.isEmpty() ? doc.path() : doc.path().resolveSibling(file).normalize();
        if (!Files.exists(target)) {
          problems.add(where + " points at " + ROOT.relativize(target) + ", which does not exist");
          continue;
        }
        if (hash >= 0) {
          String anchor = link.text().substring(hash + 1);
          var anchors = MarkdownFile.read(ROOT, target).anchors();
          if (!anchors.contains(anchor)) {
            problems.add(
                where
                    + ": "
                    + ROOT.relativize(target)
                    + " has no heading #"
                    + anchor
                    + " (its anchors: "
                    + anchors
                    + ")");
          }
        }
      }
    }
    assertThat(checked).as("relative links found in the docs").isGreaterThan(20);
    assertThat(problems).as("broken links").isEmpty();
  }

  @Test
  void documentedCommandsUseRealSubcommandsAndOptions() {
    Map<String, CommandLine> trees = CommandTrees.all();
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (MarkdownFile doc : docs) {
      List<MarkdownFile.Located> lines = new ArrayList<>(doc.shellLines());
      lines.addAll(doc.inlineCode());
      for (MarkdownFile.Located line : lines) {
        for (List<String> words : ShellWords.commands(line.text())) {
          var command = DocumentedCommand.of(words);
          if (command.isEmpty()) {
            continue;
          }
          checked++;
          for (String problem : command.get().problems(trees.get(command.get().program()))) {
            problems.add(
                doc.name() + ":" + line.line() + ": " + problem + " in: " + line.text().strip());
          }
        }
      }
    }
    assertThat(checked).as("documented commands found").isGreaterThan(50);
    assertThat(problems).as("documented commands that do not match the CLI").isEmpty();
  }

  @Test
  void everyCommandPrintsItsHelp() {
    List<String> problems = new ArrayList<>();
    List<List<String>> paths = CommandTrees.allPaths();
    for (List<String> path : paths) {
      CommandLine cli = CommandTrees.of(path.get(0));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      List<String> args = new ArrayList<>(path.subList(1, path.size()));
      args.add("--help");
      int code = cli.execute(args.toArray(String[]::new));
      String shown = String.join(" ", path) + " --help";
      if (code != 0) {
        problems.add(shown + " exited " + code + ": " + err);
      } else if (!out.toString().startsWith("Usage: ")) {
        problems.add(shown + " printed no usage: " + out + err);
      }
    }
    assertThat(paths).as("commands").hasSizeGreaterThan(15);
    assertThat(problems).isEmpty();
  }

  @Test
  void theExampleNodeRendersAndValidatesWithEveryProfile() throws IOException {
    Path node = ROOT.resolve("docs/examples/node.yaml");
    List<String> profiles;
    try (Stream<Path> files = Files.list(ROOT.resolve("preseed/profiles"))) {
      profiles =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              .map(n -> n.substring(0, n.length() - ".yaml".length()))
              .sorted()
              .toList();
    }
    assertThat(profiles).contains("ceph", "hypervisor", "k8s");
    for (String profile : profiles) {
      // as the README writes it; the arm64 rendering is PreseedCliTest's
      Path out = dir.resolve(profile + ".preseed");
      String[] render = {
        "preseed",
        "render",
        "--node",
        node.toString(),
        "--profile",
        profile,
        "--arch",
        "amd64",
        "--preseed-dir",
        ROOT.resolve("preseed").toString(),
        "--out",
        out.toString()
      };
      assertThat(run(render)).as("debvisor " + String.join(" ", render)).isEqualTo("0");
      String[] validate = {"preseed", "validate", out.toString()};
      assertThat(run(validate)).as("debvisor " + String.join(" ", validate)).isEqualTo("0");
      assertThat(Files.readString(out)).contains("d-i ");
    }
  }

  @Test
  void theManPageListsEveryCommand() throws IOException {
    Path manPage = ROOT.resolve("controller/src/deb/doc/debvisor.1");
    List<String> lines = Files.readAllLines(manPage);
    List<String> listed = new ArrayList<>();
    boolean inCommands = false;
    for (String line : lines) {
      if (line.startsWith(".SH ")) {
        inCommands = line.equals(".SH COMMANDS");
      } else if (inCommands && line.startsWith(".B ")) {
        listed.add(line.substring(3).strip());
      }
    }
    Map<String, CommandLine> trees = CommandTrees.all();
    List<String> problems = new ArrayList<>();
    for (List<String> path : CommandTrees.visibleLeafPaths()) {
      if (!listed.contains(String.join(" ", path))) {
        problems.add("debvisor.1 COMMANDS lacks `" + String.join(" ", path) + "`");
      }
    }
    for (String entry : listed) {
      var command = DocumentedCommand.of(List.of(entry.split(" ")));
      if (command.isEmpty()) {
        problems.add("debvisor.1 COMMANDS lists `" + entry + "`, not a command of these programs");
      } else {
        command
            .get()
            .problems(trees.get(command.get().program()))
            .forEach(p -> problems.add("debvisor.1 COMMANDS: " + p));
      }
    }
    assertThat(listed).as("entries of .SH COMMANDS in " + manPage).isNotEmpty();
    assertThat(problems).isEmpty();
  }

  /**
   * Runs {@code debvisor args} in process; the exit code, or the code and the output on failure.
   */
  private static String run(String... args) {
    CommandLine cli = CommandTrees.of("debvisor");
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    int code = cli.execute(args);
    return code == 0 ? "0" : code + ": " + out;
  }
}
