package org.debvisor.controller.mirror;

import java.io.PrintWriter;

/** Prints steps as lines and downloads as a bar redrawn at most every 5 percent. */
public final class ConsoleProgress implements Progress {

  private static final int WIDTH = 30;

  private final PrintWriter out;
  private String current;
  private long lastShown = -1;

  public ConsoleProgress(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void step(String description) {
    out.println("==> " + description);
    out.flush();
  }

  @Override
  public void bytes(String name, long done, long total) {
    if (!name.equals(current)) {
      current = name;
      lastShown = -1;
    }
    if (total <= 0) {
      if (done == total) {
        out.printf("    %s: %d KiB%n", name, done / 1024);
      }
      return;
    }
    long percent = done * 100 / total;
    if (percent / 5 == lastShown / 5 && done != total) {
      return;
    }
    lastShown = percent;
    int filled = (int) (percent * WIDTH / 100);
    out.printf(
        "\r    [%s%s] %3d%% %s (%d MiB)",
        "#".repeat(filled), ".".repeat(WIDTH - filled), percent, name, total >> 20);
    if (done == total) {
      out.println();
    }
    out.flush();
  }
}
