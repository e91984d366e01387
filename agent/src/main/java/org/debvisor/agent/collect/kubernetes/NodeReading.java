package org.debvisor.agent.collect.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.proto.KubernetesNodeCondition;

/** Reads the parts of a Kubernetes Node object (wire JSON) that the agent reports. */
final class NodeReading {

  private NodeReading() {}

  static boolean isReady(JsonNode node) {
    for (JsonNode condition : node.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asText())) {
        return "True".equals(condition.path("status").asText());
      }
    }
    return false;
  }

  static String kubeletVersion(JsonNode node) {
    return node.path("status").path("nodeInfo").path("kubeletVersion").asText("");
  }

  static List<KubernetesNodeCondition> conditions(JsonNode node) {
    List<KubernetesNodeCondition> conditions = new ArrayList<>();
    for (JsonNode condition : node.path("status").path("conditions")) {
      KubernetesNodeCondition.Builder builder =
          KubernetesNodeCondition.newBuilder()
              .setType(condition.path("type").asText(""))
              .setStatus(condition.path("status").asText(""))
              .setReason(condition.path("reason").asText(""))
              .setMessage(condition.path("message").asText(""));
      String since = condition.path("lastTransitionTime").asText("");
      if (!since.isEmpty()) {
        try {
          Instant instant = Instant.parse(since);
          builder.setLastTransitionTime(
              Timestamp.newBuilder()
                  .setSeconds(instant.getEpochSecond())
                  .setNanos(instant.getNano())
                  .build());
        } catch (DateTimeParseException e) {
          // leave it unset: a malformed timestamp should not hide the condition
        }
      }
      conditions.add(builder.build());
    }
    return conditions;
  }
}
