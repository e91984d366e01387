package org.debvisor.controller.vulnscan;

/**
 * dpkg's version order ({@code [epoch:]upstream[-revision]}): epochs as numbers, then upstream and
 * revision part by part, where '~' sorts before everything (even the end) and letters before other
 * characters.
 */
public final class DebianVersionOrder implements VersionOrder {

  @Override
  public int compare(String a, String b) {
    Parts x = Parts.of(a);
    Parts y = Parts.of(b);
    int c = Long.compare(x.epoch, y.epoch);
    if (c == 0) {
      c = compareString(x.upstream, y.upstream);
    }
    if (c == 0) {
      c = compareString(x.revision, y.revision);
    }
    return Integer.signum(c);
  }

  private record Parts(long epoch, String upstream, String revision) {
    static Parts of(String version) {
      String v = version.strip();
      long epoch = 0;
      int colon = v.indexOf(':');
      if (colon > 0 && v.substring(0, colon).chars().allMatch(Character::isDigit)) {
        epoch = Long.parseLong(v.substring(0, colon));
        v = v.substring(colon + 1);
      }
      int dash = v.lastIndexOf('-');
      return dash < 0
          ? new Parts(epoch, v, "")
          : new Parts(epoch, v.substring(0, dash), v.substring(dash + 1));
    }
  }

  private static int compareString(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      while ((i < a.length() && !Character.isDigit(a.charAt(i)))
          || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
        int ca = i < a.length() && !Character.isDigit(a.charAt(i)) ? order(a.charAt(i)) : 0;
        int cb = j < b.length() && !Character.isDigit(b.charAt(j)) ? order(b.charAt(j)) : 0;
        if (ca != cb) {
          return ca - cb;
        }
        i++;
        j++;
      }
      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      int firstDiff = 0;
      while (i < a.length()
          && Character.isDigit(a.charAt(i))
          && j < b.length()
          && Character.isDigit(b.charAt(j))) {
        if (firstDiff == 0) {
          firstDiff = a.charAt(i) - b.charAt(j);
        }
        i++;
        j++;
      }
      if (i < a.length() && Character.isDigit(a.charAt(i))) {
        return 1;
      }
      if (j < b.length() && Character.isDigit(b.charAt(j))) {
        return -1;
      }
      if (firstDiff != 0) {
        return firstDiff;
      }
    }
    return 0;
  }

  private static int order(char c) {
    if (Character.isLetter(c)) {
      return c;
    }
    if (c == '~') {
      return -1;
    }
    return c + 256;
  }
}
