package org.debvisor.controller.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.debvisor.controller.audit.AuditVerifier;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.controller.inventory.NodeRepository;
import org.debvisor.controller.inventory.NodeRow;
import org.debvisor.controller.inventory.NodeState;
import org.debvisor.proto.RegisterNodeRequest;
import org.debvisor.proto.RegisterNodeResponse;

/**
 * Agents enrolling at once from several threads, remembering every enrolment the controller
 * acknowledged (node id and certificate serial), so a test can kill the controller and then check
 * that all of them are in the database. A thread stops at its first failed call.
 */
public final class EnrolmentLoad implements AutoCloseable {

  private final ConcurrentLinkedQueue<RegisterNodeRequest> pending;
  private final Map<String, String> acked = new ConcurrentHashMap<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final ExecutorService threads;

  private EnrolmentLoad(List<RegisterNodeRequest> requests, int threadCount) {
    this.pending = new ConcurrentLinkedQueue<>(requests);
    this.threads = Executors.newFixedThreadPool(threadCount);
  }

  /** Starts {@code threadCount} callers sending {@code requests} through {@code connection}. */
  public static EnrolmentLoad start(
      ControllerConnection connection, List<RegisterNodeRequest> requests, int threadCount) {
    EnrolmentLoad load = new EnrolmentLoad(requests, threadCount);
    for (int i = 0; i < threadCount; i++) {
      load.threads.submit(() -> load.enrolUntilFailure(connection));
    }
    return load;
  }

  private void enrolUntilFailure(ControllerConnection connection) {
    RegisterNodeRequest request;
    while ((request = pending.poll()) != null) {
      try {
        RegisterNodeResponse answer = connection.controller(120).registerNode(request);
        String serial =
            TestNode.certificate(answer.getCertificatePem()).getSerialNumber().toString(16);
        acked.put(answer.getNodeId(), serial);
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        return;
      }
    }
  }

  /** Waits (bounded) until {@code n} enrolments were acknowledged. */
  public void awaitAcks(int n, java.time.Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (acked.size() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "only " + acked.size() + " of " + n + " enrolments acknowledged in " + limit);
      }
      Thread.sleep(1);
    }
  }

  /** Node id → certificate serial (hex) of every acknowledged enrolment so far. */
  public Map<String, String> acked() {
    return Map.copyOf(acked);
  }

  public int failures() {
    return failures.get();
  }

  /** Waits for the callers to finish (they stop once the controller is gone). */
  @Override
  public void close() throws InterruptedException {
    threads.shutdown();
    if (!threads.awaitTermination(180, TimeUnit.SECONDS)) {
      threads.shutdownNow();
      throw new AssertionError("enrolling threads did not stop within 180 s");
    }
  }

  /**
   * Every acknowledged enrolment is stored: the node active with the acknowledged certificate and
   * one node.register audit row; every stored enrolment is whole (its audit row and its used
   * token); the audit chain is intact.
   */
  public static void assertDurable(Connection c, Map<String, String> acked) throws SQLException {
    NodeRepository nodes = new NodeRepository();
    Map<String, Integer> audited = ConcurrentEnrolmentTest.registersByNode(c);
    for (Map.Entry<String, String> ack : acked.entrySet()) {
      NodeRow row =
          nodes
              .find(c, ack.getKey())
              .orElseThrow(() -> new AssertionError("acknowledged node lost: " + ack.getKey()));
      assertThat(row.state()).isEqualTo(NodeState.ACTIVE);
      assertThat(new BigInteger(row.certSerial(), 16))
          .as("certificate of " + ack.getKey())
          .isEqualTo(new BigInteger(ack.getValue(), 16));
      assertThat(audited.get(ack.getKey())).as("audit rows of " + ack.getKey()).isEqualTo(1);
    }
    List<String> stored = new ArrayList<>();
    for (NodeRow row : nodes.all(c)) {
      stored.add(row.id());
      assertThat(audited.get(row.id())).as("audit rows of stored " + row.id()).isEqualTo(1);
    }
    assertThat(usedTokens(c)).as("one used token per stored node").isEqualTo(stored.size());
    AuditVerifier.Result chain = new AuditVerifier().verify(c);
    assertThat(chain.intact()).as(chain.problem()).isTrue();
  }

  private static int usedTokens(Connection c) throws SQLException {
    try (PreparedStatement s =
            c.prepareStatement("SELECT COUNT(*) FROM bootstrap_tokens WHERE used_at IS NOT NULL");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
