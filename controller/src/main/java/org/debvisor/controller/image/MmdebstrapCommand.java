package org.debvisor.controller.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mmdebstrap command line of an image build: a minbase root filesystem as an uncompressed tar
 * (numeric owners and xattrs as mmdebstrap keeps them), built as root so the hooks can chroot.
 */
final class MmdebstrapCommand {

  private MmdebstrapCommand() {}

  /**
   * @param request what to build
   * @param hooks the build's hooks
   * @param tar where mmdebstrap writes the root filesystem tar
   */
  public static List<String> argv(ImageBuildRequest request, ImageHooks hooks, Path tar) {
    List<String> argv = new ArrayList<>();
    argv.add("mmdebstrap");
    argv.add("--mode=root");
    argv.add("--variant=minbase");
    argv.add("--format=tar");
    argv.add("--arch=" + request.arch().debianName());
    argv.add("--keyring=" + request.keyring());
    argv.add("--aptopt=Acquire::Languages \"none\"");
    // An appliance image: no documentation or translations (copyright files stay), so there is
    // less for every install to unpack. Manual pages stay: the JRE's postinst links into them.
    for (String path :
        List.of(
            "path-exclude=/usr/share/doc/*",
            "path-include=/usr/share/doc/*/copyright",
            "path-exclude=/usr/share/info/*",
            "path-exclude=/usr/share/locale/*",
            "path-include=/usr/share/locale/locale.alias")) {
      argv.add("--dpkgopt=" + path);
    }
    argv.add(
        "--include=" + String.join(",", ImagePackages.includes(request.arch(), request.profile())));
    // The .deb cache needs the downloaded essential packages kept until the customize hooks.
    argv.add("--skip=essential/unlink");
    // Our clean hook does what this step does, but writes "uninitialized" to /etc/machine-id
    // where mmdebstrap would write an empty file afterwards.
    argv.add("--skip=cleanup/reproducible");
    for (String hook : hooks.setup()) {
      argv.add("--setup-hook=" + hook);
    }
    for (String hook : hooks.customize()) {
      argv.add("--customize-hook=" + hook);
    }
    argv.add(request.suite());
    argv.add(tar.toString());
    argv.add(request.mirror().toString());
    return List.copyOf(argv);
  }
}
