package org.debvisor.controller.cli;

import org.debvisor.controller.cli.output.OutputFormat;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of every command that lists nodes: which nodes, how to print them, which controller. */
final class NodeQueryOptions {

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "EXPR",
      description = {
        "Only nodes matching every comma-separated condition, e.g. "
            + "profile=ceph,disks.count>=4,arch=arm64. Keys: id, hostname, profile, arch, state, "
            + "cpu.cores, memory.bytes, disks.count, nics.count, system.vendor, system.product; "
            + "operators = != >= <= > < (text keys: = and != only); numbers may end in K/M/G/T."
      })
  String selector = "";

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Mixin ControllerClientOptions client;
}
