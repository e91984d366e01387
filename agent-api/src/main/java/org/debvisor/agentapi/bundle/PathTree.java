package org.debvisor.agentapi.bundle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The file paths of a bundle as a tree of segments, so that a duplicate, or a file that would have
 * to be the directory of another, is found in time proportional to the path's length however many
 * files came before (comparing every pair was quadratic in the file count).
 */
final class PathTree {

  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    int file = -1;
    int firstBelow = -1;
  }

  private final Node top = new Node();

  /**
   * Adds the normalised absolute {@code path} as file {@code index}, unless it clashes with a file
   * added before.
   *
   * @return the rule it breaks, or empty when it was added
   */
  Optional<String> add(String path, int index) {
    List<Node> ancestors = new ArrayList<>();
    Node node = top;
    for (String segment : path.substring(1).split("/")) {
      if (node.file >= 0) {
        return Optional.of(clash(node.file));
      }
      ancestors.add(node);
      node = node.children.computeIfAbsent(segment, s -> new Node());
    }
    if (node.file >= 0) {
      return Optional.of("duplicates bundle.files[" + node.file + "].path");
    }
    if (node.firstBelow >= 0) {
      return Optional.of(clash(node.firstBelow));
    }
    node.file = index;
    for (Node ancestor : ancestors) {
      if (ancestor.firstBelow < 0) {
        ancestor.firstBelow = index;
      }
    }
    return Optional.empty();
  }

  private static String clash(int other) {
    return "one of this and bundle.files[" + other + "].path would have to be a directory";
  }
}
