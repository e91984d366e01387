package org.debvisor.agent.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.debvisor.agent.report.HealthSummary;
import org.debvisor.agent.settings.ListenAddress;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;
import org.debvisor.proto.SubsystemStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code debvisor-agent status}: asks the local agent for its report, for nodes without grpcurl
 * (Debian does not package it). JSON output is the same proto3 JSON grpcurl prints.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Print the local agent's health report.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:report printed (with --check: node OK)",
      "1:with --check: node WARN",
      "2:with --check: node ERROR; or bad arguments",
      "3:with --check: node UNKNOWN",
      "4:the agent could not be reached"
    })
public final class StatusCommand implements Callable<Integer> {

  static final int EXIT_UNREACHABLE = 4;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--target",
      defaultValue = "127.0.0.1:5000",
      description = "Agent address, plaintext loopback (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(
      names = "--check",
      description = "Exit with the node's state: 0 OK, 1 WARN, 2 ERROR, 3 UNKNOWN.")
  boolean check;

  @Option(names = "--timeout", defaultValue = "5", description = "Seconds to wait.")
  int timeoutSeconds;

  @Override
  public Integer call() throws InvalidProtocolBufferException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!output.equals("text") && !output.equals("json")) {
      err.println("--output must be text or json, not '" + output + "'");
      return 2;
    }
    ListenAddress address;
    try {
      address = ListenAddress.parse(target);
    } catch (IllegalArgumentException e) {
      err.println("--target " + e.getMessage());
      return 2;
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(address.host(), address.port()).usePlaintext().build();
    NodeStatus status;
    try {
      status =
          NodeGrpc.newBlockingStub(channel)
              .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS)
              .status(StatusRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      err.println(
          "cannot get the status from the agent at "
              + address
              + ": "
              + e.getStatus().getCode()
              + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription())
              + " (is debvisor-agent running? systemctl status debvisor-agent)");
      return EXIT_UNREACHABLE;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    out.println(output.equals("json") ? JsonFormat.printer().print(status) : text(status));
    out.flush();
    if (!check) {
      return 0;
    }
    return switch (status.getState()) {
      case HEALTH_OK -> 0;
      case HEALTH_WARN -> 1;
      case HEALTH_ERROR -> 2;
      default -> 3;
    };
  }

  private static String text(NodeStatus s) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%s (%s, %s, agent %s): %s%n  %s%n",
            s.getNode().getHostname(),
            s.getNode().getNodeId(),
            s.getNode().getArch(),
            s.getNode().getAgentVersion(),
            HealthSummary.stateName(s.getState()),
            s.getSummary()));
    for (SubsystemStatus sub : s.getSubsystemsList()) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %-11s %-8s %s%s%n",
              HealthSummary.name(sub.getSubsystem()),
              HealthSummary.stateName(sub.getState()),
              sub.getMessage(),
              sub.getStale() ? " (details stale)" : ""));
    }
    return b.toString().stripTrailing();
  }
}
