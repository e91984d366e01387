package org.debvisor.agent.enrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.debvisor.agent.Agent;
import org.debvisor.agent.facts.HardwareFactsReader;
import org.debvisor.agent.testing.TestAgents;
import org.debvisor.agent.testing.TestController;
import org.debvisor.agent.testing.TestPki;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.ControllerSettings;
import org.debvisor.agentapi.GrpcSettings;
import org.debvisor.agentapi.HttpSettings;
import org.debvisor.common.testing.MutableClock;
import org.debvisor.common.tls.NodeCredentials;
import org.debvisor.proto.CpuFacts;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.StatusRequest;
import org.debvisor.proto.UpdateConfigRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The agent enrols with a real-TLS test controller, stores its credentials, serves mutual TLS with
 * them, reports, backs off while the controller is down and renews in place. The link is stepped by
 * hand ({@link ControllerLink#runOnce()}) with a hand-moved clock: nothing waits on time.
 */
class EnrolmentTest {

  @TempDir Path dir;
  private TestController controller;
  private final MutableClock clock = new MutableClock(Instant.now());
  private final AtomicReference<HardwareFacts> facts = new AtomicReference<>(facts("Xeon"));
  private final List<Agent> agents = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private Path tokenFile;
  // Set by a test to list controller addresses; null: the test controller's only.
  private String controllerAddresses;

  @BeforeEach
  void controller() throws Exception {
    controller = new TestController().start();
    tokenFile = Files.writeString(dir.resolve("token"), controller.createToken() + "\n");
  }

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    agents.forEach(Agent::close);
    controller.close();
  }

  private static HardwareFacts facts(String cpu) {
    HardwareFacts f =
        HardwareFacts.newBuilder()
            .setArch("amd64")
            .setCpu(CpuFacts.newBuilder().setModel(cpu).setCores(4).setThreads(8))
            .setMemoryBytes(1L << 34)
            .build();
    return f.toBuilder().setFingerprint(HardwareFactsReader.fingerprint(f)).build();
  }

  private ControllerSettings controllerSettings() throws Exception {
    Path pinned = dir.resolve("pinned-ca.pem");
    if (!Files.exists(pinned)) {
      controller.writeCa(pinned);
    }
    return new ControllerSettings(
        controllerAddresses != null ? controllerAddresses : controller.address(),
        pinned,
        tokenFile,
        dir.resolve("pki"),
        null,
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        "ceph");
  }

  private Agent agent() throws Exception {
    return agent(false);
  }

  private Agent agent(boolean background) throws Exception {
    AgentSettings settings =
        new AgentSettings(
            null,
            new GrpcSettings(List.of("127.0.0.1:0", "0.0.0.0:0"), null, null, null),
            new HttpSettings("127.0.0.1:0"),
            null,
            null,
            TestAgents.temporaryConfig(List.of(), List.of()),
            null,
            null,
            controllerSettings());
    Agent agent =
        new Agent(
            settings,
            NodeIdentity.newBuilder()
                .setNodeId("node-1")
                .setHostname("node-1")
                .setArch("amd64")
                .setAgentVersion("test")
                .build(),
            List.of(),
            clock,
            new LinkOptions(
                facts::get,
                new SplittableRandom(7),
                background ? Sleeper.real() : d -> {},
                background));
    agents.add(agent);
    agent.start();
    return agent;
  }

  private static ControllerLink link(Agent agent) {
    return agent.controllerLink().orElseThrow();
  }

  /** The port of the mutual-TLS listener (bound to the wildcard address), if it runs. */
  private static List<Integer> tlsPorts(Agent agent) {
    return agent.grpcAddresses().stream()
        .filter(a -> a.getAddress().isAnyLocalAddress())
        .map(InetSocketAddress::getPort)
        .toList();
  }

  private ManagedChannel tlsChannel(int port, Path cert, Path key) throws Exception {
    SslContextBuilder ssl =
        GrpcSslContexts.forClient().trustManager(dir.resolve("pki/ca.pem").toFile());
    if (cert != null) {
      ssl.keyManager(cert.toFile(), key.toFile());
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ssl.build()).build();
    channels.add(channel);
    return channel;
  }

  private ManagedChannel loopback(Agent agent) {
    ManagedChannel channel = TestAgents.channel(agent);
    channels.add(channel);
    return channel;
  }

  private Path[] writeClient(TestPki.Issued issued, String name) throws Exception {
    return new Path[] {
      Files.writeString(dir.resolve(name + ".pem"), issued.certificatePem()),
      Files.writeString(dir.resolve(name + ".key"), issued.pkcs8KeyPem())
    };
  }

  private static Status.Code statusCode(ManagedChannel channel) {
    try {
      NodeGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .status(StatusRequest.getDefaultInstance());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  private static Status.Code updateCode(ManagedChannel channel) {
    try {
      NodeGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .updateConfig(UpdateConfigRequest.getDefaultInstance());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void enrolsStoresCredentialsPrivatelyAndServesMutualTlsWithThem() throws Exception {
    Agent agent = agent();
    assertThat(tlsPorts(agent)).as("no TLS listener before enrolment").isEmpty();
    assertThat(statusCode(loopback(agent))).as("loopback plaintext").isEqualTo(Status.Code.OK);

    Duration next = link(agent).runOnce();

    assertThat(next).isEqualTo(Duration.ZERO);
    Path pki = dir.resolve("pki");
    assertThat(Files.getPosixFilePermissions(pki.resolve("node.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(pki.resolve("node.pem")).exists();
    assertThat(pki.resolve("ca.pem")).exists();
    assertThat(pki.resolve("node.key.next")).doesNotExist();
    var registration = controller.registrations().get(0);
    assertThat(registration.getNodeId()).isEqualTo("node-1");
    assertThat(registration.getProfile()).isEqualTo("ceph");
    assertThat(registration.getFacts()).isEqualTo(facts.get());
    // grpcurl -cacert ca.pem -cert node.pem -key node.key NODE:PORT debvisor.Node/Status
    int port = tlsPorts(agent).get(0);
    assertThat(statusCode(tlsChannel(port, pki.resolve("node.pem"), pki.resolve("node.key"))))
        .isEqualTo(Status.Code.OK);
  }

  @Test
  void startedAgentEnrolsInTheBackgroundAndStopsCleanly() throws Exception {
    Agent agent = agent(true);

    // Waiting for an outcome, bounded; nothing here asserts how long it took.
    for (int i = 0; i < 300 && controller.heartbeats().isEmpty(); i++) {
      Thread.sleep(100);
    }

    assertThat(controller.registrations()).hasSize(1);
    assertThat(controller.heartbeats()).isNotEmpty();
    assertThat(tlsPorts(agent)).hasSize(1);
    agent.close();
    agents.remove(agent);
    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .doesNotContain("controller-link");
  }

  @Test
  void mutualTlsRefusesClientsWithoutACertificateOrWithAForeignOne() throws Exception {
    Agent agent = agent();
    link(agent).runOnce();
    int port = tlsPorts(agent).get(0);
    TestPki.Issued foreignCa = TestPki.selfSignedCa("foreign CA");
    Path[] foreign =
        writeClient(TestPki.issue(foreignCa, "debvisor-controller", TestPki.ec(), null), "foreign");

    assertThat(statusCode(tlsChannel(port, null, null))).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(statusCode(tlsChannel(port, foreign[0], foreign[1])))
        .isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void controllerCertificateMayUpdateConfigButAnotherNodeMayNot() throws Exception {
    Agent agent = agent();
    link(agent).runOnce();
    int port = tlsPorts(agent).get(0);
    Path[] ctl = writeClient(controller.clientCertificate("debvisor-controller"), "ctl");
    Path[] other = writeClient(controller.clientCertificate("node-2"), "node-2");

    assertThat(updateCode(tlsChannel(port, ctl[0], ctl[1])))
        .as("past authorisation to validation of the empty bundle")
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(updateCode(tlsChannel(port, other[0], other[1])))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void secondStartReusesTheCertificateWithoutAToken() throws Exception {
    Agent first = agent();
    link(first).runOnce();
    String serial = servedSerial(tlsPorts(first).get(0));
    first.close();
    agents.remove(first);
    Files.delete(tokenFile);

    Agent second = agent();

    assertThat(tlsPorts(second)).as("TLS served from the start").hasSize(1);
    assertThat(servedSerial(tlsPorts(second).get(0))).isEqualTo(serial);
    assertThat(link(second).runOnce()).isEqualTo(Duration.ofSeconds(10));
    assertThat(controller.registrations()).hasSize(1);
    assertThat(controller.heartbeats()).hasSize(1);
  }

  @Test
  void heartbeatsCarryStatusAlwaysAndFactsOnlyFirstAndWhenTheyChange() throws Exception {
    Agent agent = agent();
    ControllerLink link = link(agent);
    link.runOnce();

    link.runOnce();
    link.runOnce();
    facts.set(facts("Xeon Gold"));
    link.runOnce();
    link.runOnce();

    var beats = controller.heartbeats();
    assertThat(beats).hasSize(4);
    assertThat(beats)
        .allSatisfy(b -> assertThat(b.getStatus().getNode().getNodeId()).isEqualTo("node-1"));
    assertThat(beats.stream().map(b -> b.hasFacts()).toList())
        .containsExactly(true, false, true, false);
    assertThat(beats.get(2).getFacts().getCpu().getModel()).isEqualTo("Xeon Gold");
  }

  @Test
  void controllerDownBacksOffWithinBoundsWhileTheAgentServesAndResumesWhenBack() throws Exception {
    Agent agent = agent();
    ControllerLink link = link(agent);
    link.runOnce();
    controller.stop();
    Backoff bounds =
        new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new SplittableRandom());

    for (int i = 1; i <= 12; i++) {
      Duration wait = link.runOnce();
      assertThat(link.failuresInARow()).isEqualTo(i);
      assertThat(wait).isBetween(Duration.ZERO, bounds.ceiling(i));
    }
    assertThat(statusCode(loopback(agent))).isEqualTo(Status.Code.OK);
    assertThat(scrape(agent)).contains("debvisor_agent_controller_reachable 0.0");
    assertThat(scrape(agent)).contains("debvisor_agent_heartbeat_failures_total 12.0");

    controller.start();
    Duration next = link.runOnce();

    assertThat(next).isEqualTo(Duration.ofSeconds(10));
    assertThat(link.failuresInARow()).isZero();
    assertThat(controller.heartbeats()).hasSize(1);
    assertThat(scrape(agent)).contains("debvisor_agent_controller_reachable 1.0");
  }

  @Test
  void severalControllerAddressesAreTriedInOrderTheNextAtOnceThenWithBackoff() throws Exception {
    int down;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      down = s.getLocalPort();
    }
    controllerAddresses = "127.0.0.1:" + down + " , " + controller.address();
    Agent agent = agent();
    ControllerLink link = link(agent);

    assertThat(link.runOnce()).as("the first is down: the next one at once").isZero();
    assertThat(link.failuresInARow()).isEqualTo(1);
    assertThat(controller.registrations()).isEmpty();
    assertThat(link.runOnce()).as("enrolled with the second").isZero();
    assertThat(controller.registrations()).hasSize(1);
    assertThat(link.failuresInARow()).isZero();
    assertThat(link.runOnce()).isEqualTo(Duration.ofSeconds(10));
    assertThat(controller.heartbeats()).hasSize(1);

    controller.stop();
    assertThat(link.runOnce()).as("the second is down: the first at once").isZero();
    Duration wait = link.runOnce();
    assertThat(link.failuresInARow()).isEqualTo(2);
    Backoff bounds =
        new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new SplittableRandom());
    assertThat(wait)
        .as("both failed: the backoff applies")
        .isBetween(Duration.ZERO, bounds.ceiling(1));
    assertThat(scrape(agent)).contains("debvisor_agent_controller_reachable 0.0");

    controller.start();
    assertThat(link.runOnce()).isEqualTo(Duration.ofSeconds(10));
    assertThat(link.failuresInARow()).isZero();
    assertThat(controller.heartbeats()).hasSize(2);
  }

  private static String scrape(Agent agent) throws Exception {
    var address = agent.httpAddress().orElseThrow();
    try (var client = java.net.http.HttpClient.newHttpClient()) {
      return client
          .send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + address.getPort() + "/metrics"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  @Test
  void renewalInTheWindowSwapsTheServedCertificate() throws Exception {
    controller.renewBefore(Duration.ofHours(6));
    Agent agent = agent();
    ControllerLink link = link(agent);
    link.runOnce();
    int port = tlsPorts(agent).get(0);
    String before = servedSerial(port);
    link.runOnce();
    assertThat(controller.renewals()).as("outside the window").isEmpty();

    clock.advance(Duration.ofHours(19));
    link.runOnce();

    assertThat(controller.renewals()).containsExactly("node-1");
    String after = servedSerial(port);
    assertThat(after).isNotEqualTo(before);
    X509Certificate stored;
    try (var in = Files.newInputStream(dir.resolve("pki/node.pem"))) {
      stored =
          (X509Certificate)
              java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    assertThat(stored.getSerialNumber().toString(16)).isEqualTo(after);
    Path pki = dir.resolve("pki");
    assertThat(statusCode(tlsChannel(port, pki.resolve("node.pem"), pki.resolve("node.key"))))
        .isEqualTo(Status.Code.OK);
  }

  @Test
  void controllerAskingForRenewalIsHonouredWithoutLooping() throws Exception {
    Agent agent = agent();
    ControllerLink link = link(agent);
    link.runOnce();
    controller.askForRenewal(true);

    assertThat(link.runOnce()).as("renew right away").isEqualTo(Duration.ZERO);
    assertThat(link.runOnce()).as("renewed; asked again: wait").isEqualTo(Duration.ofSeconds(10));

    assertThat(controller.renewals()).containsExactly("node-1");
  }

  @Test
  void credentialsTheDiskRefusesAreServedFromMemoryAndStoredLater() throws Exception {
    Path pki = Files.writeString(dir.resolve("pki"), "a file where the directory should be");
    Agent agent = agent();
    ControllerLink link = link(agent);

    assertThat(link.runOnce()).isEqualTo(Duration.ZERO);
    assertThat(tlsPorts(agent)).hasSize(1);
    Files.delete(pki);
    link.runOnce();

    assertThat(pki.resolve("node.key")).exists();
    assertThat(servedSerial(tlsPorts(agent).get(0)))
        .isEqualTo(new CredentialStore(pki).load().orElseThrow().serialHex());
    assertThat(controller.registrations()).hasSize(1);
  }

  @Test
  void refusedTokenWritesNothingRetriesAtTheCapAndIsNotLogged() throws Exception {
    Files.writeString(tokenFile, "bt-forged-token-value");
    Logger logger = (Logger) LoggerFactory.getLogger(ControllerLink.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      Agent agent = agent();

      Duration next = link(agent).runOnce();

      assertThat(next).isEqualTo(Duration.ofMinutes(5));
      assertThat(dir.resolve("pki")).doesNotExist();
      assertThat(tlsPorts(agent)).isEmpty();
      assertThat(statusCode(loopback(agent))).isEqualTo(Status.Code.OK);
      List<String> messages = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(messages)
          .anySatisfy(
              m ->
                  assertThat(m)
                      .contains("refused the bootstrap token")
                      .contains(tokenFile.toString()));
      assertThat(messages).noneSatisfy(m -> assertThat(m).contains("bt-forged-token-value"));
    } finally {
      logger.detachAppender(logs);
    }
  }

  @Test
  void usedTokenIsRefusedOnASecondNode() throws Exception {
    Agent first = agent();
    link(first).runOnce();
    first.close();
    agents.remove(first);
    try (var files = Files.walk(dir.resolve("pki"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    Agent second = agent();

    assertThat(link(second).runOnce()).isEqualTo(Duration.ofMinutes(5));
    assertThat(dir.resolve("pki")).doesNotExist();
  }

  @Test
  void revokedNodeRetriesAtTheCapAndKeepsServing() throws Exception {
    Agent agent = agent();
    ControllerLink link = link(agent);
    link.runOnce();
    controller.revokeAll();

    assertThat(link.runOnce()).isEqualTo(Duration.ofMinutes(5));
    assertThat(statusCode(loopback(agent))).isEqualTo(Status.Code.OK);
    assertThat(scrape(agent)).contains("debvisor_agent_heartbeat_failures_total 1.0");
  }

  @Test
  void expiredCertificateEnrolsAgainWithAFreshToken() throws Exception {
    Agent agent = agent();
    ControllerLink link = link(agent);
    link.runOnce();
    clock.advance(Duration.ofDays(2));

    assertThat(link.runOnce()).as("old token is spent").isEqualTo(Duration.ofMinutes(5));
    Files.writeString(tokenFile, controller.createToken());
    assertThat(link.runOnce()).isEqualTo(Duration.ZERO);

    assertThat(controller.registrations()).hasSize(2);
    assertThat(scrape(agent)).contains("debvisor_agent_enrolled 1.0");
  }

  @Test
  void missingTokenWithoutCertificateWaitsAtTheCap() throws Exception {
    Files.delete(tokenFile);
    Agent agent = agent();

    assertThat(link(agent).runOnce()).isEqualTo(Duration.ofMinutes(5));
    assertThat(controller.registrations()).isEmpty();
  }

  @Test
  void controllerWhoseCertificateIsNotFromThePinnedCaIsNotTrusted() throws Exception {
    Files.writeString(
        dir.resolve("pinned-ca.pem"), TestPki.selfSignedCa("other CA").certificatePem());
    Agent agent = agent();

    Duration next = link(agent).runOnce();

    assertThat(next).isLessThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(link(agent).failuresInARow()).isEqualTo(1);
    assertThat(controller.registrations()).isEmpty();
    assertThat(dir.resolve("pki")).doesNotExist();
  }

  /** Hex serial of the certificate the agent's TLS listener presents in a fresh handshake. */
  private String servedSerial(int port) throws Exception {
    TestPki.Issued client = controller.clientCertificate("debvisor-controller");
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "c", client.keys().getPrivate(), new char[0], new X509Certificate[] {client.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", controller.ca());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
          .getSerialNumber()
          .toString(16);
    }
  }

  @Test
  void backoffCeilingDoublesUpToTheCapAndDelaysStayBelowIt() {
    Backoff backoff =
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new SplittableRandom(1));

    assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 20).stream().map(backoff::ceiling).toList())
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(16),
            Duration.ofSeconds(32),
            Duration.ofSeconds(60),
            Duration.ofSeconds(60));
    for (int failures = 1; failures < 40; failures++) {
      for (int i = 0; i < 200; i++) {
        assertThat(backoff.delay(failures)).isBetween(Duration.ZERO, backoff.ceiling(failures));
      }
    }
    // Full jitter spreads the waits: agents that failed together do not retry together.
    assertThat(
            java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> backoff.delay(10))
                .distinct()
                .count())
        .isGreaterThan(100);
  }

  @Test
  void renewalIsDueInTheControllersWindowElseInTheLastThird() {
    var issued = controller.clientCertificate("node-x");
    var creds =
        new NodeCredentials(
            issued.keys().getPrivate(), List.of(issued.certificate()), List.of(controller.ca()));
    Instant notAfter = creds.notAfter();
    Duration third = creds.lifetime().dividedBy(3);

    assertThat(CertificateRenewer.due(creds, notAfter.minus(third).minusSeconds(1), null))
        .isFalse();
    assertThat(CertificateRenewer.due(creds, notAfter.minus(third), null)).isTrue();
    assertThat(
            CertificateRenewer.due(creds, notAfter.minus(Duration.ofHours(2)), Duration.ofHours(1)))
        .isFalse();
    assertThat(
            CertificateRenewer.due(
                creds, notAfter.minus(Duration.ofMinutes(59)), Duration.ofHours(1)))
        .isTrue();
    assertThatThrownBy(() -> new NodeCredentials(issued.keys().getPrivate(), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
