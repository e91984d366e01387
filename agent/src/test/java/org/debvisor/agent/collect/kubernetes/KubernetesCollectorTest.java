package org.debvisor.agent.collect.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.debvisor.agentapi.KubernetesSettings;
import org.debvisor.proto.HealthState;
import org.debvisor.proto.KubernetesDetails;
import org.debvisor.proto.KubernetesNodeCondition;
import org.debvisor.proto.Subsystem;
import org.debvisor.proto.SubsystemStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the collector against fabric8's mock apiserver speaking the Kubernetes JSON wire format. */
class KubernetesCollectorTest {

  private static final String NODE = "worker-1";
  private static final String TOKEN = "abcdef.0123456789abcdef";

  @TempDir Path dir;
  private DefaultMockServer server;

  @BeforeEach
  void startServer() {
    server = new DefaultMockServer(false);
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stopServer() {
    server.shutdown();
  }

  private String serverUrl() {
    return "http://127.0.0.1:" + server.getPort();
  }

  private KubernetesCollector collector(String url, Duration timeout) throws Exception {
    Path kubeconfig = KubeconfigFiles.write(dir, "server: " + url, "token: " + TOKEN);
    return new KubernetesCollector(
        new KubernetesSettings(true, kubeconfig, NODE, Duration.ofSeconds(15), timeout),
        "ignored-hostname");
  }

  private KubernetesCollector collector() throws Exception {
    return collector(serverUrl(), Duration.ofSeconds(5));
  }

  private void readyz() {
    server.expect().get().withPath("/readyz").andReturn(200, "ok").always();
  }

  private void thisNode(NodeJson node) {
    server.expect().get().withPath("/api/v1/nodes/" + NODE).andReturn(200, node.json()).always();
  }

  private void nodeList(NodeJson... nodes) {
    server
        .expect()
        .get()
        .withPath("/api/v1/nodes?limit=500")
        .andReturn(200, NodeJson.list(List.of(nodes), ""))
        .always();
  }

  @Test
  void readyNodeIsHealthy() throws Exception {
    readyz();
    thisNode(NodeJson.node(NODE).kubelet("v1.31.4"));
    nodeList(NodeJson.node("control-1"), NodeJson.node(NODE), NodeJson.node("worker-2").notReady());

    SubsystemStatus status = collector().collect();

    assertThat(status.getSubsystem()).isEqualTo(Subsystem.SUBSYSTEM_KUBERNETES);
    assertThat(status.getState()).isEqualTo(HealthState.HEALTH_OK);
    assertThat(status.getMessage())
        .isEqualTo("node worker-1 Ready, kubelet v1.31.4; 2 of 3 nodes ready");
    assertThat(status.hasCollectedAt()).isFalse();
    KubernetesDetails details = status.getKubernetes();
    assertThat(details.getApiserverUrl()).isEqualTo(serverUrl());
    assertThat(details.getApiserverReady()).isTrue();
    assertThat(details.getReadyzMessage()).isEmpty();
    assertThat(details.getNodeName()).isEqualTo(NODE);
    assertThat(details.getNodeRegistered()).isTrue();
    assertThat(details.getKubeletVersion()).isEqualTo("v1.31.4");
    assertThat(details.getNodeCount()).isEqualTo(3);
    assertThat(details.getReadyNodeCount()).isEqualTo(2);
    Instant since = Instant.parse(NodeJson.SINCE);
    assertThat(details.getConditionsList())
        .extracting(KubernetesNodeCondition::getType)
        .containsExactly("MemoryPressure", "DiskPressure", "PIDPressure", "Ready");
    assertThat(details.getConditions(3))
        .isEqualTo(
            KubernetesNodeCondition.newBuilder()
                .setType("Ready")
                .setStatus("True")
                .setReason("KubeletReady")
                .setMessage("kubelet is posting ready status")
                .setLastTransitionTime(Timestamp.newBuilder().setSeconds(since.getEpochSecond()))
                .build());
  }

  @Test
  void everyRequestCarriesTheBearerToken() throws Exception {
    readyz();
    thisNode(NodeJson.node(NODE));
    nodeList(NodeJson.node(NODE));

    collector().collect();

    assertThat(server.getRequestCount()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
      assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
    }
  }

  @Test
  void notReadyNodeIsAnErrorNamingTheReason() throws Exception {
    readyz();
    thisNode(NodeJson.node(NODE).notReady());
    nodeList(NodeJson.node(NODE).notReady(), NodeJson.node("worker-2"));

    SubsystemStatus status = collector().collect();

    assertThat(status.getState()).isEqualTo(HealthState.HEALTH_ERROR);
    assertThat(status.getMessage())
        .startsWith("node worker-1 is not Ready (False, KubeletNotReady: container runtime network")
        .endsWith("; 1 of 2 nodes ready");
  }

  @Test
  void diskPressureWarns() throws Exception {
    readyz();
    NodeJson pressed =
        NodeJson.node(NODE)
            .condition(
                "DiskPressure", "True", "KubeletHasDiskPressure", "kubelet has disk pressure");
    thisNode(pressed);
    nodeList(pressed);

    SubsystemStatus status = collector().collect();

    assertThat(status.getState()).isEqualTo(HealthState.HEALTH_WARN);
    assertThat(status.getMessage())
        .contains("node worker-1 reports DiskPressure (True, KubeletHasDiskPressure");
  }

  @Test
  void unregisteredNodeWarns() throws Exception {
    readyz();
    server
        .expect()
        .get()
        .withPath("/api/v1/nodes/" + NODE)
        .andReturn(
            404,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"nodes \\\"worker-1\\\" not found\",\"reason\":\"NotFound\","
                + "\"details\":{\"name\":\"worker-1\",\"kind\":\"nodes\"},\"code\":404}")
        .always();
    nodeList(NodeJson.node("control-1"));

    SubsystemStatus status = collector().collect();

    assertThat(status.getState()).isEqualTo(HealthState.HEALTH_WARN);
    assertThat(status.getKubernetes().getNodeRegistered()).isFalse();
    assertThat(status.getKubernetes().getNodeCount()).isEqualTo(1);
    assertThat(status.getMessage())
        .startsWith("node worker-1 is not registered with apiserver " + serverUrl());
  }

  @Test
  void apiserverNotReadyIsAnError() throws Exception {
    server
        .expect()
        .get()
        .withPath("/readyz")
        .andReturn(500, "[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n")
        .always();

    SubsystemStatus status = collector().collect();

    assertThat(status.getState()).isEqualTo(HealthState.HEALTH_ERROR);
    assertThat(status.getKubernetes().getApiserverReady()).isFalse();
    assertThat(status.getKubernetes().getReadyzMessage())
        .isEqualTo("[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed");
    assertThat(status.getMessage())
        .isEqualTo(
            "apiserver "
                + serverUrl()
                + " is not ready: [+]ping ok; [-]etcd failed: reason withheld; readyz check"
                + " failed");
  }

  @Test
  void nodeListIsFollowedAcrossPages() throws Exception {
    readyz();
    thisNode(NodeJson.node(NODE));
    server
        .expect()
        .get()
        .withPath("/api/v1/nodes?limit=500")
        .andReturn(
            200, NodeJson.list(List.of(NodeJson.node("a"), NodeJson.node("b")), "eyJ2Ijoi+/="))
        .always();
    server
        .expect()
        .get()
        .withPath("/api/v1/nodes?limit=500&continue=eyJ2Ijoi%2B%2F%3D")
        .andReturn(200, NodeJson.list(List.of(NodeJson.node("c").notReady()), ""))
        .always();

    KubernetesDetails details = collector().collect().getKubernetes();

    assertThat(details.getNodeCount()).isEqualTo(3);
    assertThat(details.getReadyNodeCount()).isEqualTo(2);
  }

  @Test
  void refusedCredentialsAreReportedAsSuch() throws Exception {
    server
        .expect()
        .get()
        .withPath("/readyz")
        .andReturn(
            401,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}")
        .always();

    KubernetesCollector collector = collector();
    assertThatThrownBy(collector::collect)
        .isInstanceOf(ApiServerException.class)
        .hasMessage(
            "apiserver "
                + serverUrl()
                + " refused the agent's kubeconfig credentials for GET /readyz (HTTP 401):"
                + " Unauthorized");
  }

  @Test
  void hangingApiserverFailsWithinTheTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SilentAcceptor acceptor = new SilentAcceptor(silent)) {
      String url = "http://127.0.0.1:" + silent.getLocalPort();
      KubernetesCollector collector = collector(url, Duration.ofSeconds(1));

      long start = System.nanoTime();
      assertThatThrownBy(collector::collect)
          .isInstanceOf(ApiServerException.class)
          .hasMessage("apiserver " + url + " did not answer within 1s (GET /readyz)");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(acceptor.accepted()).isPositive();
    }
  }

  @Test
  void closedPortFailsWithAConnectionError() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    KubernetesCollector collector = collector(url, Duration.ofSeconds(5));

    assertThatThrownBy(collector::collect)
        .isInstanceOf(ApiServerException.class)
        .hasMessageStartingWith("cannot reach apiserver " + url + ": ")
        .hasMessageContaining("onnect");
  }

  @Test
  void missingKubeconfigIsAbsent() throws Exception {
    Path missing = dir.resolve("kubelet.conf");
    KubernetesCollector collector =
        new KubernetesCollector(new KubernetesSettings(true, missing, "", null, null), "node-a");

    SubsystemStatus status = collector.collect();

    assertThat(status.getState()).isEqualTo(HealthState.HEALTH_ABSENT);
    assertThat(status.getMessage())
        .isEqualTo("no kubeconfig at " + missing + " — Kubernetes not installed on this node");
    assertThat(status.hasKubernetes()).isFalse();
  }

  @Test
  void disabledCollectorIsAbsentEvenWithAKubeconfig() throws Exception {
    Path kubeconfig = KubeconfigFiles.write(dir, "server: " + serverUrl(), "token: x");
    KubernetesCollector collector =
        new KubernetesCollector(new KubernetesSettings(false, kubeconfig, "", null, null), "n");

    SubsystemStatus status = collector.collect();

    assertThat(status.getState()).isEqualTo(HealthState.HEALTH_ABSENT);
    assertThat(status.getMessage()).contains("disabled");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void nodeNameDefaultsToTheLowerCasedHostname() {
    KubernetesSettings settings = new KubernetesSettings(true, dir.resolve("x"), "", null, null);
    assertThat(new KubernetesCollector(settings, "Node-A.Example").nodeName())
        .isEqualTo("node-a.example");
    KubernetesSettings named =
        new KubernetesSettings(true, dir.resolve("x"), "worker-9", null, null);
    assertThat(new KubernetesCollector(named, "node-a").nodeName()).isEqualTo("worker-9");
  }

  @Test
  void brokenKubeconfigFailsNamingTheKey() throws Exception {
    Path kubeconfig =
        KubeconfigFiles.raw(
            dir, "apiVersion: v1\nkind: Config\ncurrent-context: foo\ncontexts: []\n");
    KubernetesCollector collector =
        new KubernetesCollector(new KubernetesSettings(true, kubeconfig, "", null, null), "n");

    assertThatThrownBy(collector::collect)
        .isInstanceOf(KubeconfigException.class)
        .hasMessage("kubeconfig " + kubeconfig + ": current-context 'foo' is not among contexts");
  }
}
