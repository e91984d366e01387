package org.debvisor.controller.mirror;

import java.util.List;

/** A {@link Progress} that adds each step to a list for a test to look at; bytes are ignored. */
public final class RecordingProgress implements Progress {

  private final List<String> steps;

  /**
   * @param steps where the steps go; a thread-safe list where a build reports from several threads
   */
  public RecordingProgress(List<String> steps) {
    this.steps = steps;
  }

  @Override
  public void step(String description) {
    steps.add(description);
  }

  @Override
  public void bytes(String name, long done, long total) {}
}
