package org.debvisor.controller.mirror;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Works out which installer components (udebs) an install downloads: every udeb of priority
 * standard or higher that matches the installer's kernel ABI (anna loads those), the documented
 * base list ({@code iso/preflight-base-udebs.txt}), and their dependency closure — minus what the
 * initrd already holds.
 */
final class ComponentResolver {

  private static final Set<String> AUTO_PRIORITIES = Set.of("required", "important", "standard");

  /**
   * The result.
   *
   * @param needed the udebs to download, by name
   * @param unresolved names needed but absent from the index, each with who needs it
   */
  public record Resolution(Map<String, PackageStanza> needed, Map<String, String> unresolved) {}

  private final Map<String, PackageStanza> byName = new HashMap<>();
  private final Map<String, List<PackageStanza>> providers = new HashMap<>();
  private final String abi;

  /**
   * @param index the suite's {@code main/debian-installer/binary-ARCH/Packages}
   * @param abi the installer kernel's ABI, like {@code 6.12.94+deb13-amd64}
   */
  public ComponentResolver(List<PackageStanza> index, String abi) {
    this.abi = abi;
    for (PackageStanza s : index) {
      if (!matchesKernel(s)) {
        continue;
      }
      byName.putIfAbsent(s.name(), s);
      for (String virtual : s.provides()) {
        providers.computeIfAbsent(virtual, k -> new java.util.ArrayList<>()).add(s);
      }
    }
  }

  /** Resolves the components for an initrd that holds {@code installed}. */
  public Resolution resolve(Set<String> installed, List<String> baseList) {
    Map<String, PackageStanza> needed = new TreeMap<>();
    Map<String, String> unresolved = new TreeMap<>();
    Deque<String[]> queue = new ArrayDeque<>(); // {name, needed by}
    byName.values().stream()
        .filter(s -> AUTO_PRIORITIES.contains(s.priority()))
        .sorted(Comparator.comparing(PackageStanza::name))
        .forEach(s -> queue.add(new String[] {s.name(), "priority " + s.priority()}));
    baseList.forEach(n -> queue.add(new String[] {n, "iso/preflight-base-udebs.txt"}));
    while (!queue.isEmpty()) {
      String[] item = queue.poll();
      String name = item[0];
      if (installed.contains(name) || needed.containsKey(name)) {
        continue;
      }
      PackageStanza stanza = lookup(name);
      if (stanza == null) {
        unresolved.putIfAbsent(name, item[1]);
        continue;
      }
      if (installed.contains(stanza.name()) || needed.containsKey(stanza.name())) {
        continue;
      }
      needed.put(stanza.name(), stanza);
      for (List<String> alternatives : stanza.depends()) {
        if (alternatives.stream().anyMatch(a -> installed.contains(a) || needed.containsKey(a))) {
          continue;
        }
        String choice =
            alternatives.stream()
                .filter(a -> lookup(a) != null)
                .findFirst()
                .orElse(alternatives.getFirst());
        queue.add(new String[] {choice, stanza.name()});
      }
    }
    return new Resolution(needed, unresolved);
  }

  private PackageStanza lookup(String name) {
    PackageStanza real = byName.get(name);
    if (real != null) {
      return real;
    }
    List<PackageStanza> candidates = providers.get(name);
    if (candidates == null) {
      return null;
    }
    return candidates.stream().min(Comparator.comparing(PackageStanza::name)).orElse(null);
  }

  private boolean matchesKernel(PackageStanza s) {
    String kernel = s.get("Kernel-Version");
    return kernel.isEmpty() || kernel.equals(abi);
  }

  /** Names for messages: sorted, comma separated. */
  static String names(java.util.Collection<String> names) {
    return String.join(", ", new TreeSet<>(names));
  }
}
