package org.debvisor.controller.preseed;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.debvisor.controller.node.Profile;

/**
 * The data under {@code preseed/}: the base template and the role profiles by name.
 *
 * @param source where it was read from (a directory or the jar), for messages
 * @param template the base preseed
 * @param profiles role profiles by name, sorted
 */
public record PreseedData(
    String source, PreseedTemplate template, SortedMap<String, Profile> profiles) {

  public PreseedData {
    profiles = Collections.unmodifiableSortedMap(new TreeMap<>(profiles));
  }
}
