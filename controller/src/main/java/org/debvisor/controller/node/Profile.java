package org.debvisor.controller.node;

import java.util.List;
import java.util.Map;

/**
 * A role profile from {@code preseed/profiles/NAME.yaml}: what a node of that role adds to its
 * install.
 *
 * @param name file name without {@code .yaml}
 * @param description one line for people
 * @param tasks tasksel tasks
 * @param packages Debian packages for every architecture
 * @param archPackages packages for one architecture only, keyed by {@code amd64}/{@code arm64}
 * @param sysctl kernel settings for {@code /etc/sysctl.d/60-debvisor.conf}
 * @param modules kernel modules loaded at boot
 */
public record Profile(
    String name,
    String description,
    List<String> tasks,
    List<String> packages,
    Map<String, List<String>> archPackages,
    Map<String, String> sysctl,
    List<String> modules) {

  public Profile {
    tasks = NullableLists.copy(tasks);
    packages = NullableLists.copy(packages);
    archPackages = NullableLists.copy(archPackages);
    sysctl = NullableLists.copy(sysctl);
    modules = NullableLists.copy(modules);
  }

  /** The same profile under the name of the file it came from. */
  public Profile named(String fileName) {
    return new Profile(fileName, description, tasks, packages, archPackages, sysctl, modules);
  }

  /** Packages for the given architecture: the common ones plus that architecture's own. */
  public List<String> packagesFor(Architecture arch) {
    List<String> own = archPackages.getOrDefault(arch.debianName(), List.of());
    return java.util.stream.Stream.concat(packages.stream(), own.stream()).toList();
  }
}
