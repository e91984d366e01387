package org.debvisor.controller.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.debvisor.controller.node.Architecture;
import org.debvisor.controller.node.Profile;
import org.junit.jupiter.api.Test;

/** The mmdebstrap command line of an image build. */
class MmdebstrapCommandTest {

  private final Profile k8s =
      new Profile("k8s", "test", List.of(), List.of("containerd"), Map.of(), Map.of(), List.of());

  private final ImageHooks hooks =
      new ImageHooks(
          Path.of("/cache"),
          Path.of("/agent.deb"),
          Path.of("/conf"),
          Path.of("/files"),
          Path.of("/work"),
          List.of("/usr/bin/java", "-cp", "/x.jar"));

  private List<String> argv(Architecture arch) {
    ImageBuildRequest request =
        new ImageBuildRequest(
            arch,
            k8s,
            "trixie",
            URI.create("http://mirror.example/debian"),
            Path.of("/keys.gpg"),
            Path.of("/agent.deb"),
            Path.of("/out"),
            Path.of("/cache"),
            1767225600L,
            "test");
    return MmdebstrapCommand.argv(request, hooks, Path.of("/work/rootfs.tar"));
  }

  @Test
  void buildsAMinbaseTarAsRootFromTheMirrorWithTheKeyring() {
    List<String> argv = argv(Architecture.AMD64);

    assertThat(argv.getFirst()).isEqualTo("mmdebstrap");
    assertThat(argv)
        .contains(
            "--mode=root",
            "--variant=minbase",
            "--format=tar",
            "--arch=amd64",
            "--keyring=/keys.gpg",
            "--skip=essential/unlink",
            "--skip=cleanup/reproducible",
            "--dpkgopt=path-exclude=/usr/share/doc/*",
            "--dpkgopt=path-include=/usr/share/doc/*/copyright");
    assertThat(argv.subList(argv.size() - 3, argv.size()))
        .containsExactly("trixie", "/work/rootfs.tar", "http://mirror.example/debian");
  }

  @Test
  void includesTheArchitecturesPackagesAndTheProfiles() {
    String include =
        argv(Architecture.ARM64).stream()
            .filter(a -> a.startsWith("--include="))
            .findFirst()
            .orElseThrow();

    assertThat(include.substring("--include=".length()).split(","))
        .contains("linux-image-arm64", "grub-efi-arm64-bin", "busybox", "containerd")
        .doesNotContain("grub-pc-bin");
  }

  @Test
  void passesEveryHookInOrder() {
    List<String> argv = argv(Architecture.AMD64);

    assertThat(argv.stream().filter(a -> a.startsWith("--setup-hook=")).map(a -> a.substring(13)))
        .containsExactlyElementsOf(hooks.setup());
    assertThat(
            argv.stream().filter(a -> a.startsWith("--customize-hook=")).map(a -> a.substring(17)))
        .containsExactlyElementsOf(hooks.customize());
  }
}
