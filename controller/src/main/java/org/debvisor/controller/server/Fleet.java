package org.debvisor.controller.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.debvisor.common.violation.BadRequests;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.CertificateRepository;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.InstallProgressRepository;
import org.debvisor.controller.inventory.NodeRepository;
import org.debvisor.controller.inventory.NodeRow;
import org.debvisor.controller.inventory.NodeSelector;
import org.debvisor.controller.inventory.NodeState;
import org.debvisor.controller.inventory.SelectorException;
import org.debvisor.controller.inventory.TokenRepository;
import org.debvisor.controller.inventory.TokenRow;
import org.debvisor.controller.pki.BootstrapToken;
import org.debvisor.proto.CreateBootstrapTokenRequest;
import org.debvisor.proto.CreateBootstrapTokenResponse;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.HeartbeatResponse;
import org.debvisor.proto.ListNodesRequest;
import org.debvisor.proto.ListNodesResponse;
import org.debvisor.proto.NodeRecord;
import org.debvisor.proto.RevokeNodeRequest;
import org.debvisor.proto.RevokeNodeResponse;

/** The fleet view and its operator actions (tokens, revocation), and agents' heartbeats. */
final class Fleet {

  static final Duration MIN_TTL = Duration.ofMinutes(1);
  static final Duration MAX_TTL = Duration.ofDays(30);

  private final Database db;
  private final ControllerSettings settings;
  private final AuditLog audit;
  private final Clock clock;
  private final NodeRecords records;
  // Told the cluster of a node revoked (committed): the node counts are stale.
  private final Consumer<String> membershipChanged;
  private final SecureRandom random = new SecureRandom();
  private final NodeRepository nodes = new NodeRepository();
  private final TokenRepository tokens = new TokenRepository();
  private final InstallProgressRepository installs = new InstallProgressRepository();
  private final CertificateRepository certificates = new CertificateRepository();
  // The last identity mismatch audited per node, so a node repeating it adds one row, not one per
  // heartbeat. Keys are authenticated node ids: bounded by the inventory.
  private final Map<String, List<String>> auditedMismatches = new ConcurrentHashMap<>();

  Fleet(
      Database db,
      ControllerSettings settings,
      AuditLog audit,
      Clock clock,
      Consumer<String> membershipChanged) {
    this.db = db;
    this.settings = settings;
    this.audit = audit;
    this.clock = clock;
    this.records = new NodeRecords(clock, settings.heartbeatInterval());
    this.membershipChanged = membershipChanged;
  }

  ListNodesResponse list(ListNodesRequest request) {
    NodeSelector selector;
    try {
      selector = NodeSelector.parse(request.getSelector());
    } catch (SelectorException e) {
      throw BadRequests.invalidArgument("selector", e.getMessage());
    }
    // Installs have no facts or state to select on: listed only with the whole fleet.
    boolean withInstalls = request.getSelector().isEmpty();
    ListNodesResponse.Builder out = ListNodesResponse.newBuilder();
    db.read(
        c -> {
          for (NodeRow row : nodes.all(c)) {
            NodeRecord record = records.toRecord(row);
            if (selector.matches(record)) {
              out.addNodes(record);
            }
          }
          if (withInstalls) {
            installs.notEnrolled(c).forEach(i -> out.addInstalling(NodeRecords.installing(i)));
          }
          return null;
        });
    return out.build();
  }

  NodeRecord show(String node) {
    return records.toRecord(find(node));
  }

  private NodeRow find(String node) {
    if (node.isEmpty()) {
      throw BadRequests.invalidArgument("node", "is required (a node id or hostname)");
    }
    if (node.length() > 253) {
      throw BadRequests.invalidArgument("node", "is longer than 253 characters");
    }
    return db.read(
        c -> {
          Optional<NodeRow> byId = nodes.find(c, node);
          if (byId.isPresent()) {
            return byId.get();
          }
          List<NodeRow> byHost = nodes.findByHostname(c, node);
          if (byHost.isEmpty()) {
            throw Errors.notFound(
                "no node with id or hostname '"
                    + FieldRules.printable(node)
                    + "'; see `debvisor nodes list`");
          }
          if (byHost.size() > 1) {
            List<String> ids = byHost.stream().map(NodeRow::id).toList();
            throw BadRequests.invalidArgument(
                "node", "hostname '" + node + "' names several nodes " + ids + "; give the id");
          }
          return byHost.get(0);
        });
  }

  CreateBootstrapTokenResponse createToken(CreateBootstrapTokenRequest request, Caller caller) {
    List<Violation> violations = new ArrayList<>();
    Duration ttl = Duration.ofSeconds(request.getTtl().getSeconds(), request.getTtl().getNanos());
    if (!request.hasTtl()) {
      violations.add(new Violation("ttl", "is required (1 minute to 30 days)"));
    } else if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      violations.add(new Violation("ttl", "must be between 1 minute and 30 days, got " + ttl));
    }
    FieldRules.hostname(violations, "hostname", request.getHostname(), false);
    FieldRules.profile(violations, "profile", request.getProfile());
    FieldRules.cluster(violations, "cluster", request.getCluster());
    if (!request.getNodeId().isEmpty()) {
      FieldRules.nodeId(violations, "node_id", request.getNodeId());
    }
    if (!violations.isEmpty()) {
      throw BadRequests.invalidArgument(violations);
    }
    // A token naming no cluster puts its node in this controller's own (controller serve
    // --cluster).
    String cluster = request.getCluster().isEmpty() ? settings.cluster() : request.getCluster();
    BootstrapToken token = BootstrapToken.generate(random);
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    db.write(
        c -> {
          tokens.insert(
              c,
              new TokenRow(
                  token.id(),
                  token.secretHash(),
                  now,
                  expires,
                  request.getHostname(),
                  request.getProfile(),
                  cluster,
                  caller.name(),
                  null,
                  null,
                  request.getNodeId()));
          audit.append(
              c,
              new AuditEntry(
                  caller.name(),
                  "token.create",
                  token.id(),
                  caller.source(),
                  "ok",
                  "ttl="
                      + ttl
                      + " hostname="
                      + request.getHostname()
                      + " profile="
                      + request.getProfile()
                      + " cluster="
                      + cluster
                      + (request.getNodeId().isEmpty()
                          ? ""
                          : " node=" + request.getNodeId() + " (may re-enrol it)")));
          return null;
        });
    return CreateBootstrapTokenResponse.newBuilder()
        .setToken(token.display())
        .setTokenId(token.id())
        .setExpiresAt(NodeRecords.timestamp(expires))
        .build();
  }

  RevokeNodeResponse revoke(RevokeNodeRequest request, Caller caller) {
    List<Violation> violations = new ArrayList<>();
    FieldRules.text(violations, "reason", request.getReason(), 256);
    if (!violations.isEmpty()) {
      throw BadRequests.invalidArgument(violations);
    }
    NodeRow node = find(request.getNode());
    Instant now = clock.instant();
    NodeRow after =
        db.write(
            c -> {
              NodeRow current = nodes.find(c, node.id()).orElseThrow();
              if (current.state() == NodeState.REVOKED) {
                return current;
              }
              nodes.revoke(c, node.id(), now, request.getReason());
              int revokedCerts = certificates.revokeAllOf(c, node.id(), now);
              audit.append(
                  c,
                  new AuditEntry(
                      caller.name(),
                      "node.revoke",
                      node.id(),
                      caller.source(),
                      "ok",
                      "hostname="
                          + node.hostname()
                          + " certificates="
                          + revokedCerts
                          + " reason="
                          + request.getReason()));
              return nodes.find(c, node.id()).orElseThrow();
            });
    membershipChanged.accept(after.cluster());
    return RevokeNodeResponse.newBuilder().setNode(records.toRecord(after)).build();
  }

  HeartbeatResponse heartbeat(HeartbeatRequest request, Caller caller) {
    List<Violation> violations = new ArrayList<>();
    FieldRules.address(violations, "agent_address", request.getAgentAddress(), false);
    if (!violations.isEmpty()) {
      throw BadRequests.invalidArgument(violations);
    }
    HeartbeatClaims claims =
        HeartbeatClaims.check(
            request, caller, host -> db.read(c -> nodes.findActiveByAgentHost(c, host)));
    auditMismatches(caller, claims.mismatches());
    Instant now = clock.instant();
    byte[] facts = request.hasFacts() ? request.getFacts().toByteArray() : null;
    // Not fsynced: losing the last seconds of heartbeats on power loss is harmless (the next one
    // replaces them) and an fsync per heartbeat would cap the fleet at the disk's sync rate.
    db.writeWithoutSync(
        c -> {
          nodes.recordHeartbeat(
              c,
              caller.name(),
              now,
              claims.status().toByteArray(),
              claims.agentAddress(),
              facts,
              request.getFacts().getFingerprint());
          return null;
        });
    boolean renew =
        caller.certificateNotAfter() != null
            && caller
                .certificateNotAfter()
                .minus(settings.certificates().renewBefore())
                .isBefore(now);
    return HeartbeatResponse.newBuilder()
        .setHeartbeatInterval(NodeRecords.duration(settings.heartbeatInterval()))
        .setRenewCertificate(renew)
        .build();
  }

  /** Audits what a heartbeat claimed and was not stored, once per change of the mismatch. */
  private void auditMismatches(Caller caller, List<String> mismatches) {
    if (mismatches.isEmpty()) {
      auditedMismatches.remove(caller.name());
      return;
    }
    if (mismatches.equals(auditedMismatches.put(caller.name(), mismatches))) {
      return;
    }
    db.write(
        c ->
            audit.append(
                c,
                new AuditEntry(
                    "node:" + caller.name(),
                    "node.heartbeat",
                    caller.name(),
                    caller.source(),
                    "ignored",
                    "identity claims differ from the client certificate: "
                        + String.join("; ", mismatches))));
  }
}
