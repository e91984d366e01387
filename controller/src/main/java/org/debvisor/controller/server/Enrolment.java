package org.debvisor.controller.server;

import io.grpc.StatusRuntimeException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.debvisor.common.violation.BadRequests;
import org.debvisor.common.violation.Violation;
import org.debvisor.controller.audit.AuditEntry;
import org.debvisor.controller.audit.AuditLog;
import org.debvisor.controller.inventory.CertificateRepository;
import org.debvisor.controller.inventory.CertificateRow;
import org.debvisor.controller.inventory.Database;
import org.debvisor.controller.inventory.EnrolmentRows;
import org.debvisor.controller.inventory.GroupCommit;
import org.debvisor.controller.inventory.InventoryException;
import org.debvisor.controller.inventory.NodeRepository;
import org.debvisor.controller.inventory.NodeRow;
import org.debvisor.controller.inventory.NodeState;
import org.debvisor.controller.inventory.TokenRepository;
import org.debvisor.controller.inventory.TokenRow;
import org.debvisor.controller.pki.BootstrapToken;
import org.debvisor.controller.pki.CertificateAuthority;
import org.debvisor.controller.pki.CertificatePolicy;
import org.debvisor.controller.pki.CsrRejectedException;
import org.debvisor.controller.pki.IssuedCertificate;
import org.debvisor.controller.pki.SigningRequest;
import org.debvisor.proto.RegisterNodeRequest;
import org.debvisor.proto.RegisterNodeResponse;
import org.debvisor.proto.RenewCertificateRequest;
import org.debvisor.proto.RenewCertificateResponse;

/**
 * Enrolment and renewal: checks the request, signs the CSR, and in ONE transaction consumes the
 * bootstrap token, records the node and its certificate and appends the audit entry. Concurrent
 * enrolments share that transaction's commit ({@link GroupCommit}), each undone alone if it fails.
 * A refusal changes nothing but the audit log, which records it through {@link RefusalAudit}
 * (repeats counted, not written one by one). An enrolled node id is re-enrolled only with a token
 * bound to it ({@code token create --node}); the agent address going into the certificate is
 * checked by {@link AgentAddressRule}.
 */
final class Enrolment {

  private final Database db;
  // Enrolments of concurrent agents share one durable commit (a fleet powering up at once).
  private final GroupCommit enrolments;
  private final CertificateAuthority ca;
  private final CertificatePolicy policy;
  private final ControllerSettings settings;
  private final AuditLog audit;
  private final Clock clock;
  private final RefusalAudit refusals;
  // Told the cluster of each committed enrolment: the node counts are stale.
  private final Consumer<String> membershipChanged;
  private final NodeRepository nodes = new NodeRepository();
  private final TokenRepository tokens = new TokenRepository();
  private final CertificateRepository certificates = new CertificateRepository();
  private final EnrolmentRows rows = new EnrolmentRows();

  Enrolment(
      Database db,
      GroupCommit enrolments,
      CertificateAuthority ca,
      ControllerSettings settings,
      AuditLog audit,
      Clock clock,
      Consumer<String> membershipChanged) {
    this.db = db;
    this.membershipChanged = membershipChanged;
    this.enrolments = enrolments;
    this.ca = ca;
    this.policy = settings.certificates();
    this.settings = settings;
    this.audit = audit;
    this.clock = clock;
    this.refusals = new RefusalAudit(audit, clock, REFUSAL_INTERVAL);
  }

  /** How long repeated refusals of one source and reason are counted before a summary row. */
  static final Duration REFUSAL_INTERVAL = Duration.ofMinutes(1);

  /** A refusal and its short reason, the key refusals are counted under. */
  private record Refused(String reason, StatusRuntimeException error) {}

  /** What an enrolment's transaction decided: refused (and why), or the node's cluster. */
  private record Decision(StatusRuntimeException refusal, String cluster) {}

  /** Writes the summaries of refusal intervals that have ended (called periodically). */
  void flushRefusals() {
    // Most of the time nothing is being counted: no write transaction (and fsync) then.
    if (refusals.pending() > 0) {
      db.write(refusals::flushDue);
    }
  }

  /** Writes every pending refusal summary (at shutdown). */
  void flushAllRefusals() {
    db.write(refusals::flushAll);
  }

  RegisterNodeResponse register(RegisterNodeRequest request, Caller caller) {
    List<Violation> violations = new ArrayList<>();
    FieldRules.nodeId(violations, "node_id", request.getNodeId());
    FieldRules.hostname(violations, "hostname", request.getHostname(), true);
    FieldRules.profile(violations, "profile", request.getProfile());
    // Empty: the agent serves loopback only (e.g. a DHCP node) and reports through heartbeats.
    FieldRules.address(violations, "agent_address", request.getAgentAddress(), false);
    FieldRules.text(violations, "agent_version", request.getAgentVersion(), 64);
    FieldRules.text(violations, "facts.arch", request.getFacts().getArch(), 16);
    if (request.getBootstrapToken().isEmpty()) {
      violations.add(
          new Violation("bootstrap_token", "is required (from `debvisor token create`)"));
    }
    SigningRequest csr = null;
    try {
      csr = SigningRequest.parse(request.getCsrDer().toByteArray());
    } catch (CsrRejectedException e) {
      violations.add(new Violation("csr_der", e.getMessage()));
    }
    if (!violations.isEmpty()) {
      throw BadRequests.invalidArgument(violations);
    }
    String nodeId = request.getNodeId();
    Optional<BootstrapToken> token = BootstrapToken.parse(request.getBootstrapToken());
    // Signing is the expensive part; done before the write lock, thrown away if refused.
    List<String> names = certificateNames(request.getHostname(), request.getAgentAddress());
    IssuedCertificate cert = ca.issueNodeCertificate(csr, nodeId, names, policy.nodeValidity());
    Instant now = clock.instant();
    Decision decision =
        enrolments.write(
            c -> {
              // The token's and the node's rows are read together, once, and handed to every
              // check that needs them: on PostgreSQL every statement is a round trip.
              EnrolmentRows.Found found =
                  token.isPresent()
                      ? rows.find(c, token.get().id(), nodeId)
                      : new EnrolmentRows.Found(Optional.empty(), Optional.empty());
              Optional<TokenRow> stored = found.token();
              Refused refused = checkToken(token, stored, request, now);
              Optional<NodeRow> existing = refused == null ? found.node() : Optional.empty();
              if (refused == null) {
                StatusRuntimeException revoked = revokedRefusal(nodeId, existing);
                refused = revoked == null ? null : new Refused("revoked", revoked);
              }
              TokenRow row = refused == null ? stored.orElseThrow() : null;
              if (refused == null) {
                refused = checkNodeIdentity(existing, row, nodeId);
              }
              if (refused == null) {
                refused = checkAgentAddress(c, request, nodeId, caller.source());
              }
              if (refused != null) {
                return refuse(c, refused, nodeId, caller.source());
              }
              refusals.flushDue(c);
              if (!tokens.consume(c, row.id(), now, nodeId)) {
                // Read as unused above, consumed since by a concurrent enrolment (another
                // controller on the same PostgreSQL): this UPDATE waited for that commit.
                return refuse(c, usedMeanwhile(row.id()), nodeId, caller.source());
              }
              // Re-enrolment (reinstalled machine) means a new key: the old certificates go. A
              // new node has none (certificates reference their node's row): no statement then.
              int superseded = existing.isPresent() ? certificates.revokeAllOf(c, nodeId, now) : 0;
              String profile =
                  request.getProfile().isEmpty() ? row.profile() : request.getProfile();
              byte[] facts = request.hasFacts() ? request.getFacts().toByteArray() : null;
              nodes.upsertEnrolment(
                  c,
                  existing.isPresent(),
                  new NodeRow(
                      nodeId,
                      request.getHostname(),
                      profile,
                      row.cluster(),
                      request.getFacts().getArch(),
                      request.getAgentAddress(),
                      request.getAgentVersion(),
                      NodeState.ACTIVE,
                      now,
                      null,
                      cert.serialHex(),
                      cert.notAfter(),
                      null,
                      facts,
                      request.getFacts().getFingerprint(),
                      null,
                      ""));
              certificates.insert(
                  c, new CertificateRow(cert.serialHex(), nodeId, now, cert.notAfter(), null));
              audit.append(
                  c,
                  new AuditEntry(
                      "node:" + nodeId,
                      "node.register",
                      nodeId,
                      caller.source(),
                      "ok",
                      "hostname="
                          + request.getHostname()
                          + " profile="
                          + profile
                          + " cluster="
                          + row.cluster()
                          + " token="
                          + row.id()
                          + " serial="
                          + cert.serialHex()
                          + (row.nodeId().isEmpty() ? "" : " bound-token=yes")
                          + (superseded > 0 ? " replaced=yes superseded=" + superseded : "")));
              return new Decision(null, row.cluster());
            });
    if (decision.refusal() != null) {
      throw decision.refusal();
    }
    membershipChanged.accept(decision.cluster());
    return RegisterNodeResponse.newBuilder()
        .setCertificatePem(cert.pem())
        .setCaBundlePem(ca.bundlePem())
        .setNotAfter(NodeRecords.timestamp(cert.notAfter()))
        .setRenewBefore(NodeRecords.duration(policy.renewBefore()))
        .setHeartbeatInterval(NodeRecords.duration(settings.heartbeatInterval()))
        .setNodeId(nodeId)
        .build();
  }

  /** Checks the presented token against {@code stored}, the row of its id (empty: none). */
  private static Refused checkToken(
      Optional<BootstrapToken> presented,
      Optional<TokenRow> stored,
      RegisterNodeRequest request,
      Instant now) {
    if (presented.isEmpty()) {
      return refused(
          "malformed-token",
          Errors.unauthenticated(
              "bootstrap token is malformed (expected dvb_<id>_<secret> exactly as printed by"
                  + " `debvisor token create`)"));
    }
    BootstrapToken token = presented.get();
    if (stored.isEmpty() || !token.matches(stored.get().secretSha256())) {
      return refused(
          "unknown-token",
          Errors.unauthenticated(
              "bootstrap token "
                  + token.id()
                  + " is forged or unknown (no such token was issued by this controller);"
                  + " create one with `debvisor token create`"));
    }
    TokenRow row = stored.get();
    if (row.usedAt() != null) {
      return refused(
          "used-token",
          Errors.unauthenticated(
              "bootstrap token "
                  + row.id()
                  + " was already used at "
                  + row.usedAt()
                  + " (tokens are single-use); create a new one with `debvisor token create`"));
    }
    if (!now.isBefore(row.expiresAt())) {
      return refused(
          "expired-token",
          Errors.unauthenticated(
              "bootstrap token "
                  + row.id()
                  + " expired at "
                  + row.expiresAt()
                  + "; create a new one with `debvisor token create --ttl ...`"));
    }
    if (!row.hostname().isEmpty() && !row.hostname().equalsIgnoreCase(request.getHostname())) {
      return refused(
          "hostname-mismatch",
          Errors.denied(
              "bootstrap token "
                  + row.id()
                  + " is bound to hostname '"
                  + row.hostname()
                  + "', not '"
                  + request.getHostname()
                  + "'; create a token for this host with `debvisor token create --host "
                  + request.getHostname()
                  + "`"));
    }
    if (!row.nodeId().isEmpty() && !row.nodeId().equals(request.getNodeId())) {
      return refused(
          "node-id-mismatch",
          Errors.denied(
              "bootstrap token "
                  + row.id()
                  + " is bound to node id '"
                  + row.nodeId()
                  + "', not '"
                  + request.getNodeId()
                  + "'; create a token for this node with `debvisor token create --node "
                  + request.getNodeId()
                  + "`"));
    }
    if (!row.profile().isEmpty()
        && !request.getProfile().isEmpty()
        && !row.profile().equals(request.getProfile())) {
      return refused(
          "profile-mismatch",
          Errors.denied(
              "bootstrap token "
                  + row.id()
                  + " is for profile '"
                  + row.profile()
                  + "', not '"
                  + request.getProfile()
                  + "'"));
    }
    return null;
  }

  private static Refused refused(String reason, StatusRuntimeException error) {
    return new Refused(reason, error);
  }

  private static Refused usedMeanwhile(String tokenId) {
    return refused(
        "used-token",
        Errors.unauthenticated(
            "bootstrap token "
                + tokenId
                + " was used by another enrolment a moment ago (tokens are single-use); create a"
                + " new one with `debvisor token create`"));
  }

  /** Records the refusal (see {@link RefusalAudit}) in the enrolment's transaction. */
  private Decision refuse(Connection c, Refused refused, String nodeId, String source)
      throws SQLException {
    refusals.refused(
        c, nodeId, source, refused.reason(), refused.error().getStatus().getDescription());
    return new Decision(refused.error(), null);
  }

  /**
   * An enrolled node id is taken: only a token bound to it (the operator's explicit "replace this
   * node") may enrol under it again, so a leaked open token cannot take over a node's identity.
   */
  private static Refused checkNodeIdentity(
      Optional<NodeRow> existing, TokenRow token, String nodeId) {
    if (existing.isEmpty() || token.nodeId().equals(nodeId)) {
      return null;
    }
    NodeRow node = existing.get();
    return refused(
        "node-exists",
        Errors.denied(
            "node "
                + nodeId
                + " is already enrolled (hostname "
                + node.hostname()
                + ", since "
                + node.enrolledAt()
                + ") and bootstrap token "
                + token.id()
                + " is not bound to it; to re-enrol it (e.g. a reinstalled machine) create a"
                + " token with `debvisor token create --node "
                + nodeId
                + "`"));
  }

  private Refused checkAgentAddress(
      Connection c, RegisterNodeRequest request, String nodeId, String peer) throws SQLException {
    if (request.getAgentAddress().isEmpty()) {
      return null;
    }
    String host = FieldRules.addressHost(request.getAgentAddress());
    return AgentAddressRule.problem(host, peer, nodeId, holders -> activeHolders(c, holders))
        .map(problem -> refused("address-claim", Errors.denied(problem)))
        .orElse(null);
  }

  private List<NodeRow> activeHolders(Connection c, String canonicalHost) {
    try {
      return nodes.findActiveByAgentHost(c, canonicalHost);
    } catch (SQLException e) {
      // Database.write rolls the transaction back and answers the caller UNAVAILABLE/INTERNAL.
      throw new InventoryException("cannot look up which node holds " + canonicalHost, e);
    }
  }

  private StatusRuntimeException checkNotRevoked(Connection c, String nodeId) throws SQLException {
    return revokedRefusal(nodeId, nodes.find(c, nodeId));
  }

  /** The refusal when {@code existing}, the row of {@code nodeId}, is a revoked node. */
  private static StatusRuntimeException revokedRefusal(String nodeId, Optional<NodeRow> existing) {
    if (existing.isPresent() && existing.get().state() == NodeState.REVOKED) {
      return Errors.denied(
          "node "
              + nodeId
              + " was revoked at "
              + existing.get().revokedAt()
              + " and cannot enrol again under the same id");
    }
    return null;
  }

  RenewCertificateResponse renew(RenewCertificateRequest request, Caller caller) {
    SigningRequest csr;
    try {
      csr = SigningRequest.parse(request.getCsrDer().toByteArray());
    } catch (CsrRejectedException e) {
      throw BadRequests.invalidArgument("csr_der", e.getMessage());
    }
    String nodeId = caller.name();
    if (!csr.commonName().isEmpty() && !csr.commonName().equals(nodeId)) {
      throw BadRequests.invalidArgument(
          "csr_der",
          "subject CN '"
              + FieldRules.printable(csr.commonName())
              + "' does not name the calling node '"
              + nodeId
              + "'");
    }
    NodeRow node = db.read(c -> nodes.find(c, nodeId)).orElseThrow();
    List<String> names = certificateNames(node.hostname(), node.agentAddress());
    IssuedCertificate cert = ca.issueNodeCertificate(csr, nodeId, names, policy.nodeValidity());
    Instant now = clock.instant();
    StatusRuntimeException refusal =
        db.write(
            c -> {
              // Revocation may have committed since the interceptor looked.
              StatusRuntimeException refused = checkNotRevoked(c, nodeId);
              if (refused != null) {
                return refused;
              }
              certificates.insert(
                  c, new CertificateRow(cert.serialHex(), nodeId, now, cert.notAfter(), null));
              nodes.updateCertificate(c, nodeId, cert.serialHex(), cert.notAfter());
              audit.append(
                  c,
                  new AuditEntry(
                      "node:" + nodeId,
                      "certificate.renew",
                      nodeId,
                      caller.source(),
                      "ok",
                      "serial=" + cert.serialHex()));
              return null;
            });
    if (refusal != null) {
      throw refusal;
    }
    return RenewCertificateResponse.newBuilder()
        .setCertificatePem(cert.pem())
        .setCaBundlePem(ca.bundlePem())
        .setNotAfter(NodeRecords.timestamp(cert.notAfter()))
        .build();
  }

  /** The certificate's names: the hostname, and the agent address's host when there is one. */
  private static List<String> certificateNames(String hostname, String agentAddress) {
    String host = agentAddress.isEmpty() ? null : FieldRules.addressHost(agentAddress);
    return host == null ? List.of(hostname) : List.of(hostname, host);
  }
}
