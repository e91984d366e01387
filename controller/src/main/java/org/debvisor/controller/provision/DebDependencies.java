package org.debvisor.controller.provision;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads a .deb's {@code Depends:} field and says which dependencies a host still lacks. */
final class DebDependencies {

  private DebDependencies() {}

  /**
   * The alternative groups of a {@code Depends:} value, each a list of package names without
   * version constraints or architecture qualifiers, e.g. {@code "a (>= 1) | b, c"} → [[a, b], [c]].
   */
  public static List<List<String>> groups(String depends) {
    List<List<String>> groups = new ArrayList<>();
    if (depends == null || depends.isBlank()) {
      return groups;
    }
    for (String group : depends.split(",")) {
      List<String> names = new ArrayList<>();
      for (String alt : group.split("\\|")) {
        String name = alt.strip().replaceFirst("\\s*\\(.*$", "").replaceFirst(":.*$", "").strip();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
      if (!names.isEmpty()) {
        groups.add(names);
      }
    }
    return groups;
  }

  /** Every package name mentioned, for one dpkg-query call. */
  public static Set<String> names(List<List<String>> groups) {
    Set<String> all = new LinkedHashSet<>();
    groups.forEach(all::addAll);
    return all;
  }

  /**
   * For each group none of whose alternatives is installed, its first alternative (what apt would
   * pick).
   */
  public static List<String> missing(List<List<String>> groups, Set<String> installed) {
    List<String> missing = new ArrayList<>();
    for (List<String> group : groups) {
      if (group.stream().noneMatch(installed::contains)) {
        missing.add(group.get(0));
      }
    }
    return missing;
  }
}
