package org.debvisor.agent.collect.ceph;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import org.debvisor.agentapi.CephSettings;
import org.debvisor.proto.CheckOkToStopResponse;

/**
 * Asks Ceph whether OSDs can stop now ({@code ceph osd ok-to-stop}), with the agent's own Ceph
 * client: the monitors pass the command on to the manager, so the collector's read-only key is
 * enough. Opens a connection per question: a rollout asks once per wave.
 */
public final class CephOkToStop {

  private static final int EBUSY = 16;

  private final CephSettings settings;
  private final LocalOsds local;
  private final ObjectMapper mapper = new ObjectMapper();

  /** Asks through librados2 as configured; "own OSDs" are this machine's CRUSH host's. */
  public CephOkToStop(CephSettings settings) {
    this(settings, LocalOsds.thisMachine());
  }

  CephOkToStop(CephSettings settings, String crushHost) {
    this.settings = settings;
    this.local = new LocalOsds(crushHost);
  }

  /**
   * @param osdIds the OSDs to ask about; empty for this node's own
   * @throws CephNotConfiguredException when this node has no Ceph client to ask with
   * @throws CephException when Ceph could not be asked (the message says why)
   */
  public CheckOkToStopResponse check(List<Integer> osdIds) throws CephException {
    if (!settings.enabled() || !Files.exists(settings.confFile())) {
      throw new CephNotConfiguredException(
          settings.enabled()
              ? "no Ceph configuration at " + settings.confFile() + " on this node"
              : "Ceph is disabled in this agent's settings (collectors.ceph.enabled)");
    }
    try (RadosConnection session = RadosConnection.open(settings)) {
      List<Integer> ids = osdIds.isEmpty() ? local.read(session) : osdIds;
      CheckOkToStopResponse.Builder response = CheckOkToStopResponse.newBuilder().addAllOsdIds(ids);
      if (ids.isEmpty()) {
        return response
            .setOkToStop(true)
            .setReason("CRUSH host " + local.crushHost() + " holds no OSDs")
            .build();
      }
      ObjectNode command = mapper.createObjectNode().put("prefix", "osd ok-to-stop");
      ArrayNode list = command.putArray("ids");
      ids.forEach(id -> list.add(Integer.toString(id)));
      command.put("format", "json");
      String named = ids.stream().map(id -> "osd." + id).collect(Collectors.joining(" "));
      RadosConnection.MonAnswer answer =
          session.ask("osd ok-to-stop " + named, command.toString(), EBUSY);
      if (answer.code() == EBUSY) {
        return response.setOkToStop(false).setReason(answer.text()).build();
      }
      return response.setOkToStop(true).setReason(named + " can stop now").build();
    } catch (LinkageError e) {
      throw new CephNotConfiguredException("librados2 is not installed on this node");
    }
  }
}
