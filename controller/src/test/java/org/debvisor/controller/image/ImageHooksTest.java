package org.debvisor.controller.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hooks that need no chroot, run as mmdebstrap runs them ({@code sh -c HOOK exec ROOT}) on a
 * directory standing in for the image, with host paths that need quoting.
 */
class ImageHooksTest {

  @TempDir Path dir;
  private Path root;
  private Path cache;
  private ImageHooks hooks;

  @BeforeEach
  void layout() throws Exception {
    root = Files.createDirectory(dir.resolve("root"));
    cache = dir.resolve("deb cache 'q' $HOME");
    hooks =
        new ImageHooks(
            cache,
            dir.resolve("agent.deb"),
            dir.resolve("conf"),
            dir.resolve("files"),
            dir.resolve("work"),
            ImageHooks.currentJava());
  }

  private void runHook(String hook) throws Exception {
    Process process =
        new ProcessBuilder("sh", "-c", hook, "exec", root.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.exitValue()).as(output).isZero();
  }

  private List<String> names(Path directory) throws Exception {
    try (Stream<Path> list = Files.list(directory)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void setupCopiesTheCachedPackagesIntoTheImage() throws Exception {
    Files.createDirectories(cache);
    Files.writeString(cache.resolve("a_1_amd64.deb"), "a");
    Files.writeString(cache.resolve("b_2_all.deb"), "b");
    Files.writeString(cache.resolve("notes.txt"), "not a package");

    runHook(hooks.setup().getFirst());

    Path archives = root.resolve("var/cache/apt/archives");
    assertThat(names(archives)).containsExactly("a_1_amd64.deb", "b_2_all.deb");
    assertThat(archives.resolve("b_2_all.deb")).hasContent("b");
  }

  @Test
  void setupWithoutACacheStartsEmpty() throws Exception {
    runHook(hooks.setup().getFirst());

    assertThat(names(root.resolve("var/cache/apt/archives"))).isEmpty();
    assertThat(cache).doesNotExist();
  }

  @Test
  void theDownloadedPackagesAreSavedToTheCache() throws Exception {
    Path archives = root.resolve("var/cache/apt/archives");
    Files.createDirectories(archives.resolve("partial"));
    Files.writeString(archives.resolve("c_3_amd64.deb"), "c");
    Files.writeString(archives.resolve("lock"), "");

    runHook(hooks.saveCache());

    assertThat(names(cache)).containsExactly("c_3_amd64.deb");
  }

  @Test
  void customizeRunsInTheDocumentedOrder() {
    assertThat(hooks.customize())
        .containsExactly(
            hooks.installAgent(),
            hooks.saveCache(),
            hooks.kernelAndInstaller(),
            hooks.clean(),
            hooks.manifest());
  }

  @Test
  void theSshHostKeyUnitRunsOnceBeforeSshd() {
    assertThat(ImageHooks.SSH_HOSTKEYS_UNIT_TEXT)
        .contains("ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key")
        .contains("ExecStart=/usr/bin/ssh-keygen -A")
        .contains("Before=ssh.service")
        .contains("WantedBy=multi-user.target")
        .contains("Type=oneshot");
    assertThat(hooks.clean())
        .contains("rm -f \"$1\"/etc/ssh/ssh_host_*")
        .contains("systemctl enable debvisor-ssh-hostkeys.service")
        .contains("uninitialized");
  }
}
