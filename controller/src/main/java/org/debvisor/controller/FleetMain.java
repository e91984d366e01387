package org.debvisor.controller;

import java.util.Arrays;
import org.debvisor.controller.cli.FleetCli;

/**
 * Entry point of {@code cephctl}, {@code hvctl} and {@code k8sctl}: the first argument names the
 * tool (the launcher scripts pass their own name).
 */
public final class FleetMain {

  private FleetMain() {}

  public static void main(String[] args) {
    String tool = args.length == 0 ? "" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    var cli =
        switch (tool) {
          case "cephctl" -> FleetCli.cephctl(System.getenv());
          case "hvctl" -> FleetCli.hvctl(System.getenv());
          case "k8sctl" -> FleetCli.k8sctl(System.getenv());
          default -> null;
        };
    if (cli == null) {
      System.err.println("usage: FleetMain cephctl|hvctl|k8sctl ARGS...");
      System.exit(64);
    }
    System.exit(cli.execute(rest));
  }
}
