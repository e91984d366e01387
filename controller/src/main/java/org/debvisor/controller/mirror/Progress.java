package org.debvisor.controller.mirror;

/** Receives progress of downloads and build steps. */
public interface Progress {

  /** A build step starts. */
  void step(String description);

  /** {@code done} of {@code total} bytes (total -1 when unknown) of {@code name} transferred. */
  void bytes(String name, long done, long total);

  /** Discards everything. */
  Progress NONE =
      new Progress() {
        @Override
        public void step(String description) {}

        @Override
        public void bytes(String name, long done, long total) {}
      };
}
