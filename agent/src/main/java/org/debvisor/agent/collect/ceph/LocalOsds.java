package org.debvisor.agent.collect.ceph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The OSDs in one CRUSH host bucket ({@code ceph osd ls-tree HOST}). Ceph names a host bucket after
 * the short host name its OSDs start on, so by default that is this machine's.
 */
final class LocalOsds {

  private static final int ENOENT = 2;

  private final String crushHost;
  private final ObjectMapper mapper = new ObjectMapper();

  LocalOsds(String crushHost) {
    this.crushHost = crushHost;
  }

  /** This machine's short host name, as Ceph's OSDs name their CRUSH host bucket. */
  static String thisMachine() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      int dot = name.indexOf('.');
      return dot < 0 ? name : name.substring(0, dot);
    } catch (IOException e) {
      return "localhost";
    }
  }

  String crushHost() {
    return crushHost;
  }

  /** The OSD ids under this host; empty when the CRUSH map has no such host. */
  List<Integer> read(RadosConnection session) throws CephException {
    String json =
        mapper
            .createObjectNode()
            .put("prefix", "osd ls-tree")
            .put("name", crushHost)
            .put("format", "json")
            .toString();
    RadosConnection.MonAnswer answer = session.ask("osd ls-tree " + crushHost, json, ENOENT);
    if (answer.code() == ENOENT) {
      return List.of();
    }
    try {
      List<Integer> ids = new ArrayList<>();
      for (JsonNode id : mapper.readTree(answer.text())) {
        ids.add(id.asInt());
      }
      return List.copyOf(ids);
    } catch (JsonProcessingException e) {
      throw new CephException(
          "`ceph osd ls-tree "
              + crushHost
              + "` answered something other than a JSON list: "
              + e.getOriginalMessage(),
          e);
    }
  }
}
