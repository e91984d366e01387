package org.debvisor.controller.backup;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compares DebVisor release numbers ("0.2.1", "0.2.1-SNAPSHOT"); a build from source has none. */
final class DebvisorVersions {

  private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+).*");

  private DebvisorVersions() {}

  /** True when both are release numbers and {@code candidate} is the higher one. */
  static boolean isNewer(String candidate, String ours) {
    Matcher a = RELEASE.matcher(candidate == null ? "" : candidate);
    Matcher b = RELEASE.matcher(ours == null ? "" : ours);
    if (!a.matches() || !b.matches()) {
      return false;
    }
    for (int i = 1; i <= 3; i++) {
      int cmp = Long.compare(Long.parseLong(a.group(i)), Long.parseLong(b.group(i)));
      if (cmp != 0) {
        return cmp > 0;
      }
    }
    return false;
  }
}
