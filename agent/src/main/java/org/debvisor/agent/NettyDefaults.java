package org.debvisor.agent;

import java.util.Map;
import java.util.Properties;

/**
 * Netty and gRPC settings that keep the daemon's footprint small (issue 23). They are system
 * properties the libraries read once, in static initialisers, so they are set before anything
 * touches Netty; a value already given (e.g. {@code -Dio.netty.jfr.enabled=true} in
 * DEBVISOR_AGENT_JAVA_OPTS) wins.
 */
final class NettyDefaults {

  static final Map<String, String> VALUES =
      Map.of(
          // gRPC's own pooled allocator (2 MiB chunks per arena) beside Netty's default one, which
          // the operations HTTP server uses: one allocator instead of two.
          "io.grpc.netty.useCustomAllocator", "false",
          // Netty's allocator JFR events: asking for them loads ~110 jdk.jfr classes that stay
          // for the agent's life, and nobody records them on a node.
          "io.netty.jfr.enabled", "false");

  private NettyDefaults() {}

  /** Puts each default into {@code properties} unless a value is there already. */
  static void apply(Properties properties) {
    VALUES.forEach(properties::putIfAbsent);
  }
}
