package org.debvisor.agent.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.debvisor.agent.report.HealthSummary;
import org.debvisor.agent.report.StatusBoard;
import org.debvisor.agent.settings.ListenAddress;
import org.debvisor.agentapi.ConfigSettings;
import org.debvisor.common.process.Outcome;
import org.debvisor.common.process.ProcessRunner;
import org.debvisor.common.violation.Violation;
import org.debvisor.proto.GateCheck;
import org.debvisor.proto.HealthGate;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;

/**
 * Decides whether a freshly applied version may stay: every check must pass in every round until
 * the gate's window has passed. The first failure ends the gate with its reason.
 */
public final class HealthGateRunner {

  static final Duration MAX_WINDOW = Duration.ofMinutes(10);
  private static final Duration ROUND_PAUSE = Duration.ofMillis(500);
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
  private static final int TCP_TIMEOUT_MILLIS = 2000;

  private final StatusBoard board;
  private final ConfigSettings settings;
  private final ProcessRunner runner;

  public HealthGateRunner(StatusBoard board, ConfigSettings settings, ProcessRunner runner) {
    this.board = board;
    this.settings = settings;
    this.runner = runner;
  }

  /** Rules for {@code bundle.gate}. */
  public List<Violation> validate(HealthGate gate) {
    List<Violation> violations = new ArrayList<>();
    Duration window = window(gate);
    if (window.isNegative() || window.compareTo(MAX_WINDOW) > 0) {
      violations.add(new Violation("bundle.gate.window", "must be from 0 to 10 minutes"));
    }
    for (int i = 0; i < gate.getChecksCount(); i++) {
      GateCheck check = gate.getChecks(i);
      String field = "bundle.gate.checks[" + i + "]";
      switch (check.getCheckCase()) {
        case SUBSYSTEM_NOT_WORSE -> {
          if (check.getSubsystemNotWorse() == Subsystem.SUBSYSTEM_UNSPECIFIED
              || check.getSubsystemNotWorse() == Subsystem.UNRECOGNIZED) {
            violations.add(
                new Violation(field + ".subsystem_not_worse", "must name a known subsystem"));
          }
        }
        case COMMAND -> {
          if (!settings.gateCommands().containsKey(check.getCommand())) {
            violations.add(
                new Violation(
                    field + ".command",
                    "'"
                        + check.getCommand()
                        + "' is not a check command of this agent (config.gateCommands: "
                        + settings.gateCommands().keySet().stream().sorted().toList()
                        + ")"));
          }
        }
        case UNIT_ACTIVE -> {
          if (!ServiceReloader.isUnitName(check.getUnitActive())) {
            violations.add(new Violation(field + ".unit_active", "must be a systemd unit name"));
          }
        }
        case TCP_CONNECT -> {
          try {
            ListenAddress.parse(check.getTcpConnect());
          } catch (IllegalArgumentException e) {
            violations.add(new Violation(field + ".tcp_connect", e.getMessage()));
          }
        }
        case CHECK_NOT_SET -> violations.add(new Violation(field, "names no check"));
      }
    }
    return violations;
  }

  /**
   * Runs the gate against the report from before the apply.
   *
   * @return the reason it failed, or empty when the version may stay
   */
  public Optional<String> run(HealthGate gate, NodeStatus before) throws InterruptedException {
    long end = System.nanoTime() + window(gate).toNanos();
    do {
      for (GateCheck check : gate.getChecksList()) {
        Optional<String> failure = evaluate(check, before);
        if (failure.isPresent()) {
          return failure;
        }
      }
      if (System.nanoTime() >= end) {
        return Optional.empty();
      }
      Thread.sleep(
          Math.min(ROUND_PAUSE.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
    } while (true);
  }

  private Optional<String> evaluate(GateCheck check, NodeStatus before)
      throws InterruptedException {
    return switch (check.getCheckCase()) {
      case SUBSYSTEM_NOT_WORSE -> notWorse(check.getSubsystemNotWorse(), before);
      case COMMAND -> {
        List<String> argv = settings.gateCommands().get(check.getCommand());
        Outcome outcome = runner.run(argv, CHECK_TIMEOUT);
        yield outcome.succeeded()
            ? Optional.empty()
            : Optional.of(
                "gate command '"
                    + check.getCommand()
                    + "' failed: "
                    + outcome.describe(CHECK_TIMEOUT));
      }
      case UNIT_ACTIVE -> {
        List<String> argv =
            settings.unitActiveCommand().stream()
                .map(a -> a.replace("{unit}", check.getUnitActive()))
                .toList();
        Outcome outcome = runner.run(argv, CHECK_TIMEOUT);
        yield outcome.succeeded()
            ? Optional.empty()
            : Optional.of(
                "unit "
                    + check.getUnitActive()
                    + " is not active: "
                    + outcome.describe(CHECK_TIMEOUT));
      }
      case TCP_CONNECT -> tcp(check.getTcpConnect());
      case CHECK_NOT_SET -> Optional.empty();
    };
  }

  private Optional<String> notWorse(Subsystem subsystem, NodeStatus before) {
    SubsystemStatus was = find(before, subsystem);
    SubsystemStatus now = find(board.current(), subsystem);
    if (HealthSummary.severity(now.getState()) > HealthSummary.severity(was.getState())) {
      return Optional.of(
          HealthSummary.name(subsystem)
              + " got worse: "
              + HealthSummary.stateName(was.getState())
              + " -> "
              + HealthSummary.stateName(now.getState())
              + " ("
              + now.getMessage()
              + ")");
    }
    return Optional.empty();
  }

  private static SubsystemStatus find(NodeStatus status, Subsystem subsystem) {
    return status.getSubsystemsList().stream()
        .filter(s -> s.getSubsystem() == subsystem)
        .findFirst()
        .orElse(SubsystemStatus.newBuilder().setSubsystem(subsystem).build());
  }

  private static Optional<String> tcp(String target) {
    ListenAddress address = ListenAddress.parse(target);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.host(), address.port()), TCP_TIMEOUT_MILLIS);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot connect to " + target + ": " + e.getMessage());
    }
  }

  private static Duration window(HealthGate gate) {
    return Duration.ofSeconds(gate.getWindow().getSeconds(), gate.getWindow().getNanos());
  }
}
