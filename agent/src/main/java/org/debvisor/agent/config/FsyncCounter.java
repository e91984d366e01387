package org.debvisor.agent.config;

import java.util.concurrent.atomic.LongAdder;

/** How many fsyncs the configuration store issued, and in how many groups (waits for the disk). */
final class FsyncCounter {

  private final LongAdder fsyncs = new LongAdder();
  private final LongAdder groups = new LongAdder();

  void counted() {
    fsyncs.increment();
  }

  void grouped() {
    groups.increment();
  }

  long fsyncs() {
    return fsyncs.sum();
  }

  long groups() {
    return groups.sum();
  }
}
