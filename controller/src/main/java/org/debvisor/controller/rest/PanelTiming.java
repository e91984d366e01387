package org.debvisor.controller.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * How a browser driver reads the panel's render timing: the Performance entries the page and the
 * browser record, and the one script (a resource next to the panel) that reads an entry's time.
 * Shared by the panel's browser test and the bench's render benchmark.
 */
public final class PanelTiming {

  /** The mark nodes.js sets once the node list's first rows are painted. */
  public static final String NODES_PAINTED = "debvisor:nodes-painted";

  /** The browser's own first contentful paint. */
  public static final String FIRST_CONTENTFUL_PAINT = "first-contentful-paint";

  private static final String SCRIPT = "/org/debvisor/controller/panel/measure/entry-start.js";

  private PanelTiming() {}

  /**
   * A WebDriver script body: given an entry name as its first argument, returns that entry's start
   * time in milliseconds after navigation start, or null while there is none.
   */
  public static String entryStartScript() {
    try (InputStream in = PanelTiming.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(SCRIPT + " is missing from the controller's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
