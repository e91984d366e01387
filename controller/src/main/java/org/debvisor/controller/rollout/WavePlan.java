package org.debvisor.controller.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * Cumulative wave sizes in percent of the selected nodes, e.g. {@code 10%,50%,100%}: strictly
 * increasing, each 1..100, the last one 100.
 */
public record WavePlan(List<Integer> percents) {

  public WavePlan {
    percents = List.copyOf(percents);
  }

  /**
   * @throws RolloutRefusedException naming the bad entry
   */
  public static WavePlan parse(String text) {
    if (text == null || text.isBlank()) {
      throw RolloutRefusedException.invalid("waves", "is empty; give e.g. 10%,50%,100%");
    }
    List<Integer> out = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String item = raw.strip();
      String digits = item.endsWith("%") ? item.substring(0, item.length() - 1).strip() : item;
      int value;
      try {
        value = Integer.parseInt(digits);
      } catch (NumberFormatException e) {
        throw RolloutRefusedException.invalid(
            "waves", "'" + item + "' is not a percentage like 50%; give e.g. 10%,50%,100%");
      }
      out.add(value);
    }
    return of(out);
  }

  /**
   * @throws RolloutRefusedException when a percentage is out of range, not increasing, or the last
   *     is not 100
   */
  public static WavePlan of(List<Integer> percents) {
    if (percents.isEmpty()) {
      throw RolloutRefusedException.invalid("waves", "is empty; give e.g. 10%,50%,100%");
    }
    if (percents.size() > 20) {
      throw RolloutRefusedException.invalid(
          "waves", "has " + percents.size() + " entries; at most 20");
    }
    int previous = 0;
    for (int p : percents) {
      if (p < 1 || p > 100) {
        throw RolloutRefusedException.invalid(
            "waves", p + "% is outside 1%..100%; waves are cumulative shares of the nodes");
      }
      if (p <= previous) {
        throw RolloutRefusedException.invalid(
            "waves", p + "% follows " + previous + "%; waves are cumulative and must grow");
      }
      previous = p;
    }
    if (previous != 100) {
      throw RolloutRefusedException.invalid(
          "waves",
          "ends at "
              + previous
              + "%; the last wave must be 100% so every selected node is updated");
    }
    return new WavePlan(percents);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (int p : percents) {
      s.append(s.isEmpty() ? "" : ",").append(p).append('%');
    }
    return s.toString();
  }
}
