package org.debvisor.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.debvisor.agentapi.bundle.BundleValidator;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.ConfigBundle;
import org.debvisor.proto.ConfigFile;
import org.debvisor.proto.FileChecksum;

/**
 * Generated hostile paths and bundles against a real allowed root that contains symlinks leading
 * outside, a dangling one, a hard link to an outside file, a symlink loop and a look-alike sibling
 * root: whatever is accepted lands under the root, and nothing outside it ever changes.
 */
class HostilePathPropertyTest {

  private Path base;
  private Path root;
  private Path outside;
  private Path lookalike;
  private Path state;
  private Map<String, String> outsideBefore;
  private Map<String, String> lookalikeBefore;
  private BundleValidator validator;
  private ConfigStore store;
  private int versions;

  @BeforeProperty
  void plantTraps() throws IOException {
    base = Files.createTempDirectory("debvisor-hostile-");
    root = Files.createDirectory(base.resolve("managed"));
    outside = Files.createDirectory(base.resolve("outside"));
    lookalike = Files.createDirectory(base.resolve("managedX"));
    state = base.resolve("state");
    Files.writeString(outside.resolve("secret"), "outside secret");
    Files.createDirectory(outside.resolve("dir"));
    Files.writeString(outside.resolve("dir/inner.conf"), "outside inner");
    Files.writeString(lookalike.resolve("a.conf"), "look-alike root");
    Files.createDirectory(root.resolve("sub"));
    Files.createSymbolicLink(root.resolve("escape"), outside);
    Files.createSymbolicLink(root.resolve("rel-escape"), Path.of("../outside"));
    Files.createSymbolicLink(root.resolve("sub/up"), Path.of("../../outside/dir"));
    Files.createSymbolicLink(root.resolve("secret.conf"), outside.resolve("secret"));
    Files.createSymbolicLink(root.resolve("inside"), Path.of("sub"));
    Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    Files.createSymbolicLink(root.resolve("dangling"), Path.of("../outside/nowhere"));
    Files.createLink(root.resolve("hard.conf"), outside.resolve("secret"));
    outsideBefore = TestBundles.snapshot(outside);
    lookalikeBefore = TestBundles.snapshot(lookalike);
    validator = new BundleValidator(TestBundles.settings(state, root), new NodeAccounts());
    store = new ConfigStore(TestBundles.settings(state, root), Clock.systemUTC());
    store.recover();
  }

  @AfterProperty
  void removeTraps() throws IOException {
    // Depth-first, each directory right after its own entries: a sorted listing of the whole tree
    // was seen to leave a directory the applies had filled behind ("%2e%2e" is a legal name).
    Files.walkFileTree(
        base,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  @Provide
  Arbitrary<String> hostilePaths() {
    Arbitrary<String> prefix =
        Arbitraries.of(
            root.toString(),
            root.toString(),
            root.toString(),
            lookalike.toString(),
            outside.toString(),
            base.toString(),
            state.toString(),
            "",
            ".",
            "..",
            "/",
            "//" + root.toString().substring(1),
            root + "/",
            root.toString().substring(1));
    Arbitrary<String> segment =
        Arbitraries.oneOf(
            Arbitraries.of(
                "a.conf",
                "conf.d",
                "x",
                "..",
                ".",
                "",
                "...",
                "%2e%2e",
                "..%2f..",
                "%2F",
                "\u2024\u2024",
                "\uFF0E\uFF0E",
                "\u2215..",
                "..\\",
                "\u202e..",
                "a\u0000b",
                "line\nbreak",
                " ",
                "escape",
                "rel-escape",
                "up",
                "secret.conf",
                "inside",
                "loop",
                "dangling",
                "hard.conf",
                "sub",
                "managed",
                "managedX",
                "outside",
                "dir",
                "inner.conf",
                "n".repeat(255),
                "n".repeat(256),
                "é".repeat(128)),
            Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(8),
            Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4));
    Arbitrary<List<String>> segments = segment.list().ofMinSize(0).ofMaxSize(5);
    Arbitrary<String> separator = Arbitraries.of("/", "/", "/", "//", "/./", "/../");
    Arbitrary<String> ending = Arbitraries.of("", "", "", "/", "/.", "/..");
    return Combinators.combine(prefix, segments, separator, ending)
        .as((p, segs, sep, end) -> p + (segs.isEmpty() ? "" : sep + String.join("/", segs)) + end);
  }

  /** Well-formed paths under the root that walk into the planted traps. */
  @Provide
  Arbitrary<String> plausiblePaths() {
    Arbitrary<String> segment =
        Arbitraries.of(
            "a.conf",
            "x",
            "conf.d",
            "sub",
            "inside",
            "escape",
            "rel-escape",
            "up",
            "secret.conf",
            "loop",
            "dangling",
            "hard.conf",
            "...",
            "%2e%2e",
            "\u2024\u2024",
            "\uFF0E\uFF0E",
            "n".repeat(255),
            "é".repeat(127));
    return segment
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(segs -> root + "/" + String.join("/", segs));
  }

  @Provide
  Arbitrary<ConfigBundle> hostileBundles() {
    Arbitrary<String> path =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, plausiblePaths()), net.jqwik.api.Tuple.of(1, hostilePaths()));
    Arbitrary<ConfigFile> file =
        Combinators.combine(
                path,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.of(0, 0644, 0600, 0755, 0777))
            .as(TestBundles::file);
    return file.list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(files -> ConfigBundle.newBuilder().setVersion("v").addAllFiles(files).build());
  }

  @Property(tries = 3000)
  void theValidatorOnlyAcceptsNormalisedPathsStrictlyUnderTheRoot(
      @ForAll("hostilePaths") String path) {
    ConfigFile file = TestBundles.file(path, "x", 0644);
    List<Violation> violations =
        validator.validate(ConfigBundle.newBuilder().setVersion("v1").addFiles(file).build());

    if (violations.isEmpty()) {
      Path parsed = Path.of(path);
      assertThat(parsed.isAbsolute()).isTrue();
      assertThat(parsed.normalize().toString()).isEqualTo(path);
      assertThat(parsed.startsWith(root)).isTrue();
      assertThat(parsed).isNotEqualTo(root);
    } else {
      assertThat(violations).extracting(Violation::field).containsOnly("bundle.files[0].path");
    }
  }

  @Property(tries = 250)
  void applyingNeverWritesOutsideTheRoot(
      @ForAll("hostileBundles") ConfigBundle generated, @ForAll boolean commit) throws Exception {
    ConfigBundle bundle = generated.toBuilder().setVersion("v" + ++versions).build();
    boolean valid = validator.validate(bundle).isEmpty();
    try {
      ApplyHandle handle = store.apply(bundle);
      Statistics.label("outcome").collect("applied");
      for (ConfigFile f : bundle.getFilesList()) {
        Path written = Path.of(f.getPath());
        assertThat(written.toRealPath(LinkOption.NOFOLLOW_LINKS).getParent().toRealPath())
            .startsWith(root.toRealPath());
        assertThat(ByteString.copyFrom(Files.readAllBytes(written))).isEqualTo(f.getContent());
      }
      if (commit) {
        handle.commit("property");
        assertThat(store.current().getFilesList())
            .extracting(FileChecksum::getPath)
            .allSatisfy(p -> assertThat(Path.of(p)).startsWith(root));
      } else {
        handle.rollBack("property", "coin flip");
      }
    } catch (BundleRejectedException e) {
      Statistics.label("outcome").collect(valid ? "refused at apply time" : "invalid");
      assertThat(e.violations())
          .extracting(Violation::field)
          .allMatch(f -> f.matches("bundle\\.files\\[\\d\\]\\.path"));
    }

    assertThat(TestBundles.snapshot(outside)).isEqualTo(outsideBefore);
    assertThat(TestBundles.snapshot(lookalike)).isEqualTo(lookalikeBefore);
    assertThat(topLevel()).containsExactlyInAnyOrder("managed", "outside", "managedX", "state");
    assertThat(TestBundles.snapshot(root).keySet()).noneMatch(n -> n.contains(".debvisor-"));
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("applied").percentage(p -> p >= 5);
              c.check("refused at apply time").percentage(p -> p >= 2);
              c.check("invalid").percentage(p -> p >= 20);
            });
  }

  private Set<String> topLevel() throws IOException {
    try (Stream<Path> list = Files.list(base)) {
      return list.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}
