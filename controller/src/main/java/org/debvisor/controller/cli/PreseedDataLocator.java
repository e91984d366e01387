package org.debvisor.controller.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.debvisor.controller.node.InvalidInputException;
import org.debvisor.controller.preseed.PreseedData;
import org.debvisor.controller.preseed.PreseedDataLoader;

/** Finds the preseed data for a command: {@code --preseed-dir}, beside the jar, or built in. */
final class PreseedDataLocator {

  private final Path jarLocation;

  public PreseedDataLocator(Path jarLocation) {
    this.jarLocation = jarLocation;
  }

  /** Loads the data; {@code explicitDir} (may be null) wins. */
  public PreseedData load(Path explicitDir) throws InvalidInputException, IOException {
    return new PreseedDataLoader().locate(explicitDir, jarLocation);
  }
}
