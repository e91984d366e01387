package org.debvisor.controller.rest;

import java.util.HashMap;
import java.util.Map;

/** Counts open event streams per user and in total, refusing one more beyond either bound. */
final class StreamQuota {

  private final int perUser;
  private final int total;
  private final Map<String, Integer> open = new HashMap<>();
  private int all;

  StreamQuota(int perUser, int total) {
    this.perUser = perUser;
    this.total = total;
  }

  /** Why another stream for {@code user} is refused, or null when it was counted. */
  synchronized String tryAcquire(String user) {
    int mine = open.getOrDefault(user, 0);
    if (mine >= perUser) {
      return "user "
          + user
          + " already has "
          + perUser
          + " event streams open; close a panel tab or another stream first";
    }
    if (all >= total) {
      return "the controller already serves " + total + " event streams; retry later";
    }
    open.put(user, mine + 1);
    all++;
    return null;
  }

  synchronized void release(String user) {
    Integer mine = open.get(user);
    if (mine == null) {
      return;
    }
    if (mine == 1) {
      open.remove(user);
    } else {
      open.put(user, mine - 1);
    }
    all--;
  }

  synchronized int open() {
    return all;
  }
}
