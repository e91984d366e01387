package org.debvisor.controller;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.debvisor.controller.cli.DebvisorCli;

/** Entry point of the {@code debvisor} command. */
public final class DebvisorMain {

  private DebvisorMain() {}

  public static void main(String[] args) {
    System.exit(DebvisorCli.forArguments(jarLocation(), System.getenv(), args).execute(args));
  }

  private static Path jarLocation() {
    try {
      var source = DebvisorMain.class.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
