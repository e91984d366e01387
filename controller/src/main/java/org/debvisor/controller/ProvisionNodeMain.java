package org.debvisor.controller;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.debvisor.controller.cli.DebvisorCli;

/** Entry point of the {@code debvisor-provision-node} command. */
public final class ProvisionNodeMain {

  private ProvisionNodeMain() {}

  public static void main(String[] args) {
    System.exit(DebvisorCli.provisionNode(jarLocation()).execute(args));
  }

  private static Path jarLocation() {
    try {
      var source = ProvisionNodeMain.class.getProtectionDomain().getCodeSource();
      return source == null ? null : Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
