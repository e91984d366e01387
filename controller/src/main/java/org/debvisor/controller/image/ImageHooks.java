package org.debvisor.controller.image;

import static org.debvisor.controller.preseed.ShellQuoting.quote;

import java.nio.file.Path;
import java.util.List;
import org.debvisor.controller.preseed.ShellQuoting;

/**
 * The mmdebstrap hooks of an image build. Each runs on the build host as {@code sh -c HOOK exec
 * ROOT}, so {@code $1} is the image's root directory and host paths are plain (quoted) paths.
 *
 * @param debCache persistent .deb cache (read before the download, written after the installs)
 * @param agentDeb the agent package installed into the image
 * @param initramfsConfig host directory with the installer initramfs configuration
 * @param filesDir host directory with files copied into the image ({@link #SSH_HOSTKEYS_UNIT})
 * @param workDir host directory that receives vmlinuz, installer.img, manifest.tsv and
 *     kernel-version
 * @param hostJava how the hooks start DebVisor's own code on the build host ({@code java -cp CP})
 */
record ImageHooks(
    Path debCache,
    Path agentDeb,
    Path initramfsConfig,
    Path filesDir,
    Path workDir,
    List<String> hostJava) {

  public ImageHooks {
    hostJava = List.copyOf(hostJava);
  }

  /**
   * The running JVM and class path, to start {@link JavaKeystoreDates} from a hook. Entries are
   * made absolute: hooks run in another directory than {@code java -jar relative/path.jar}.
   */
  public static List<String> currentJava() {
    String classPath =
        java.util.Arrays.stream(
                System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .map(entry -> Path.of(entry).toAbsolutePath().toString())
            .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath);
  }

  /** Name of the unit that makes the SSH host keys at first boot. */
  public static final String SSH_HOSTKEYS_UNIT = "debvisor-ssh-hostkeys.service";

  /** Its text: only when the keys are missing, before sshd starts. */
  public static final String SSH_HOSTKEYS_UNIT_TEXT =
      """
      [Unit]
      Description=DebVisor: generate this machine's SSH host keys on first boot
      ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key
      Before=ssh.service

      [Service]
      Type=oneshot
      ExecStart=/usr/bin/ssh-keygen -A

      [Install]
      WantedBy=multi-user.target
      """;

  /** Written by the kernel hook: the image's kernel version, one line. */
  public static final String KERNEL_VERSION_FILE = "kernel-version";

  /** Where the installer initramfs configuration lives inside the image while it is used. */
  static final String CONFDIR_IN_IMAGE = "/tmp/debvisor-installer-initramfs";

  /** Where the agent package lives inside the image while it is installed. */
  static final String AGENT_IN_IMAGE = "/tmp/debvisor-agent.deb";

  /** Setup hooks: prime the image's apt archive directory from the .deb cache. */
  public List<String> setup() {
    String archives = "\"$1\"/var/cache/apt/archives";
    return List.of(
        "set -e; mkdir -p "
            + archives
            + "; if [ -d "
            + quote(debCache.toString())
            + " ]; then find "
            + quote(debCache.toString())
            + " -maxdepth 1 -name '*.deb' -exec cp -p -t "
            + archives
            + " {} +; fi");
  }

  /**
   * Customize hooks, in order: install the agent, save the downloaded packages to the cache, copy
   * the kernel and build the installer initramfs, clean the image for reproducibility and first
   * boot, write the package manifest.
   */
  public List<String> customize() {
    return List.of(installAgent(), saveCache(), kernelAndInstaller(), clean(), manifest());
  }

  String installAgent() {
    return "set -e; cp "
        + quote(agentDeb.toString())
        + " \"$1\""
        + AGENT_IN_IMAGE
        + "; chroot \"$1\" apt-get install -y --no-install-recommends "
        + AGENT_IN_IMAGE
        + "; rm -f \"$1\""
        + AGENT_IN_IMAGE;
  }

  String saveCache() {
    String cache = quote(debCache.toString());
    return "set -e; mkdir -p "
        + cache
        + "; find \"$1\"/var/cache/apt/archives -maxdepth 1 -name '*.deb' -exec cp -p -t "
        + cache
        + " {} +";
  }

  String kernelAndInstaller() {
    String work = quote(workDir.toString());
    return "set -e; kver=$(ls \"$1\"/usr/lib/modules); case \"$kver\" in"
        + " ''|*[!A-Za-z0-9.+_~-]*) echo \"expected exactly one kernel in the image's"
        + " /usr/lib/modules, found: $kver\" >&2; exit 1;; esac; printf '%s\\n' \"$kver\" > "
        + work
        + "/"
        + KERNEL_VERSION_FILE
        + "; cp \"$1/boot/vmlinuz-$kver\" "
        + work
        + "/vmlinuz; cp -a "
        + quote(initramfsConfig.toString())
        + " \"$1\""
        + CONFDIR_IN_IMAGE
        + "; chroot \"$1\" mkinitramfs -d "
        + CONFDIR_IN_IMAGE
        + " -o /tmp/installer.img \"$kver\"; mv \"$1\"/tmp/installer.img "
        + work
        + "/installer.img; rm -rf \"$1\""
        + CONFDIR_IN_IMAGE;
  }

  /**
   * No SSH host keys (a first-boot unit makes them), machine-id made at first boot, empty fstab, a
   * neutral host name, resolv.conf from systemd-resolved, and none of the files that differ from
   * build to build (logs, ld.so's aux-cache, backup files of dpkg and debconf, temporary files).
   */
  String clean() {
    String units = "\"$1\"/etc/systemd/system";
    return "set -e; rm -f \"$1\"/etc/ssh/ssh_host_*; cp "
        + quote(filesDir.resolve(SSH_HOSTKEYS_UNIT).toString())
        + " "
        + units
        + "/"
        + SSH_HOSTKEYS_UNIT
        + "; chmod 644 "
        + units
        + "/"
        + SSH_HOSTKEYS_UNIT
        + "; chroot \"$1\" systemctl enable "
        + SSH_HOSTKEYS_UNIT
        + "; printf 'uninitialized\\n' > \"$1\"/etc/machine-id"
        + "; rm -f \"$1\"/var/lib/dbus/machine-id"
        + "; : > \"$1\"/etc/fstab"
        + "; printf 'debvisor\\n' > \"$1\"/etc/hostname"
        + "; ln -sfn ../run/systemd/resolve/stub-resolv.conf \"$1\"/etc/resolv.conf"
        // systemd-resolved's postinst keeps the build host's resolv.conf here.
        + "; rm -f \"$1\"/etc/.resolv.conf.systemd-resolved.bak"
        + "; find \"$1\"/var/log -type f -delete"
        + "; rm -f \"$1\"/var/cache/ldconfig/aux-cache \"$1\"/var/cache/debconf/*-old"
        + " \"$1\"/var/lib/dpkg/*-old \"$1\"/var/cache/apt/*.bin"
        // The packages themselves: kept for the .deb cache (copied out before this hook), they
        // would otherwise ship in the image (hundreds of MB the installer has to unpack).
        + "; rm -rf \"$1\"/var/cache/apt/archives/*.deb \"$1\"/var/cache/apt/archives/partial/*"
        // ca-certificates-java stamps each cacerts entry with the install time.
        + "; if [ -f \"$1\"/etc/ssl/certs/java/cacerts ]; then "
        + ShellQuoting.command(hostJava)
        + " "
        + JavaKeystoreDates.class.getName()
        + " \"$1\"/etc/ssl/certs/java/cacerts \"${SOURCE_DATE_EPOCH:?}\"; fi"
        + "; rm -rf \"$1\"/var/lib/apt/lists/* \"$1\"/var/tmp/* \"$1\"/tmp/*";
  }

  String manifest() {
    return "set -e; chroot \"$1\" dpkg-query -W"
        + " -f='${db:Status-Abbrev}\\t${Package}\\t${Version}\\t${Architecture}\\n'"
        + " | awk -F '\\t' '$1 ~ /^ii/ { print $2 \"\\t\" $3 \"\\t\" $4 }' | LC_ALL=C sort > "
        + quote(workDir.resolve(ImageOutput.MANIFEST).toString());
  }
}
