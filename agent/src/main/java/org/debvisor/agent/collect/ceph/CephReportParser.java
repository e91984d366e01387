package org.debvisor.agent.collect.ceph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.debvisor.proto.CephCapacity;
import org.debvisor.proto.CephDetails;
import org.debvisor.proto.CephHealthCheck;
import org.debvisor.proto.CephMonStatus;
import org.debvisor.proto.CephOsdStatus;
import org.debvisor.proto.CephPgStateCount;
import org.debvisor.proto.CephPgStatus;
import org.debvisor.proto.CephPool;

/**
 * Turns the JSON of {@code ceph status}, {@code ceph health detail} and {@code ceph df} into {@link
 * CephDetails}. Missing fields are left at their defaults, since their layout differs between Ceph
 * releases.
 */
public final class CephReportParser {

  // MON_DOWN detail line, e.g. "mon.b (rank 1) addr [v2:...] is down (out of quorum)".
  private static final Pattern MON_OUT_OF_QUORUM = Pattern.compile("^mon\\.(\\S+) .*out of quorum");

  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * Parses the three documents; a null or blank document counts as absent.
   *
   * @throws IllegalArgumentException when a document is not JSON
   */
  public CephDetails parse(String statusJson, String healthDetailJson, String dfJson) {
    JsonNode status = read("status", statusJson);
    JsonNode health = read("health detail", healthDetailJson);
    JsonNode df = read("df", dfJson);
    // health detail carries detail lines; status' own health section is the fallback
    JsonNode healthSource = health.has("checks") ? health : status.path("health");
    List<CephHealthCheck> checks = checks(healthSource.path("checks"));
    return CephDetails.newBuilder()
        .setFsid(status.path("fsid").asText(""))
        .setHealthStatus(healthStatus(health, status))
        .addAllChecks(checks)
        .setMons(mons(status, checks))
        .setOsds(osds(status.path("osdmap")))
        .setPgs(pgs(status.path("pgmap")))
        .setCapacity(capacity(df.path("stats"), status.path("pgmap")))
        .addAllPools(pools(df.path("pools")))
        .setMgrAvailable(status.path("mgrmap").path("available").asBoolean(false))
        .setRelease(status.path("monmap").path("min_mon_release_name").asText(""))
        .build();
  }

  private JsonNode read(String command, String json) {
    if (json == null || json.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Ceph answered `ceph " + command + "` with invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String healthStatus(JsonNode health, JsonNode status) {
    for (JsonNode candidate :
        List.of(
            health.path("status"),
            status.path("health").path("status"),
            // before Luminous
            status.path("health").path("overall_status"))) {
      if (candidate.isTextual() && !candidate.asText().isEmpty()) {
        return candidate.asText();
      }
    }
    return "";
  }

  private static List<CephHealthCheck> checks(JsonNode checks) {
    List<CephHealthCheck> result = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : checks.properties()) {
      JsonNode check = entry.getValue();
      JsonNode summary = check.path("summary");
      CephHealthCheck.Builder builder =
          CephHealthCheck.newBuilder()
              .setCode(entry.getKey())
              .setSeverity(check.path("severity").asText(""))
              .setSummary(
                  summary.isTextual() ? summary.asText() : summary.path("message").asText(""))
              .setMuted(check.path("muted").asBoolean(false));
      for (JsonNode detail : check.path("detail")) {
        builder.addDetail(detail.isTextual() ? detail.asText() : detail.path("message").asText(""));
      }
      result.add(builder.build());
    }
    return result;
  }

  private static CephMonStatus mons(JsonNode status, List<CephHealthCheck> checks) {
    JsonNode monmap = status.path("monmap");
    List<String> quorum = new ArrayList<>();
    status.path("quorum_names").forEach(name -> quorum.add(name.asText()));
    // older releases list the monitors in status; newer ones only say how many there are
    Set<String> outOfQuorum = new LinkedHashSet<>();
    monmap
        .path("mons")
        .forEach(
            mon -> {
              String name = mon.path("name").asText("");
              if (!name.isEmpty() && !quorum.contains(name)) {
                outOfQuorum.add(name);
              }
            });
    checks.stream()
        .filter(check -> check.getCode().equals("MON_DOWN"))
        .flatMap(check -> check.getDetailList().stream())
        .map(MON_OUT_OF_QUORUM::matcher)
        .filter(Matcher::find)
        .forEach(matcher -> outOfQuorum.add(matcher.group(1)));
    int total =
        monmap.has("num_mons")
            ? monmap.path("num_mons").asInt()
            : Math.max(monmap.path("mons").size(), quorum.size() + outOfQuorum.size());
    return CephMonStatus.newBuilder()
        .setTotal(total)
        .addAllQuorumNames(quorum)
        .addAllOutOfQuorumNames(outOfQuorum)
        .setElectionEpoch(status.path("election_epoch").asLong(0))
        .build();
  }

  private static CephOsdStatus osds(JsonNode osdmap) {
    // Nautilus and older nest the counters one level deeper
    JsonNode counters = osdmap.has("osdmap") ? osdmap.path("osdmap") : osdmap;
    return CephOsdStatus.newBuilder()
        .setTotal(counters.path("num_osds").asInt(0))
        .setUp(counters.path("num_up_osds").asInt(0))
        .setIn(counters.path("num_in_osds").asInt(0))
        .build();
  }

  private static CephPgStatus pgs(JsonNode pgmap) {
    CephPgStatus.Builder builder =
        CephPgStatus.newBuilder().setTotal(pgmap.path("num_pgs").asInt(0));
    for (JsonNode state : pgmap.path("pgs_by_state")) {
      builder.addStates(
          CephPgStateCount.newBuilder()
              .setState(state.path("state_name").asText(""))
              .setCount(state.path("count").asInt(0)));
    }
    return builder.build();
  }

  private static CephCapacity capacity(JsonNode dfStats, JsonNode pgmap) {
    if (dfStats.has("total_bytes")) {
      JsonNode usedRaw =
          dfStats.has("total_used_raw_bytes")
              ? dfStats.path("total_used_raw_bytes")
              : dfStats.path("total_used_bytes");
      return CephCapacity.newBuilder()
          .setTotalBytes(dfStats.path("total_bytes").asLong(0))
          .setUsedRawBytes(usedRaw.asLong(0))
          .setAvailableBytes(dfStats.path("total_avail_bytes").asLong(0))
          .build();
    }
    return CephCapacity.newBuilder()
        .setTotalBytes(pgmap.path("bytes_total").asLong(0))
        .setUsedRawBytes(pgmap.path("bytes_used").asLong(0))
        .setAvailableBytes(pgmap.path("bytes_avail").asLong(0))
        .build();
  }

  private static List<CephPool> pools(JsonNode pools) {
    List<CephPool> result = new ArrayList<>();
    for (JsonNode pool : pools) {
      JsonNode stats = pool.path("stats");
      JsonNode stored = stats.has("stored") ? stats.path("stored") : stats.path("bytes_used");
      result.add(
          CephPool.newBuilder()
              .setName(pool.path("name").asText(""))
              .setId(pool.path("id").asLong(0))
              .setStoredBytes(stored.asLong(0))
              .setObjects(stats.path("objects").asLong(0))
              .setMaxAvailableBytes(stats.path("max_avail").asLong(0))
              // Ceph reports a ratio under this name
              .setPercentUsed(stats.path("percent_used").asDouble(0) * 100)
              .build());
    }
    return result;
  }
}
