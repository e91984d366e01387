package org.debvisor.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.debvisor.agent.Agent;
import org.debvisor.agent.enrol.LinkOptions;
import org.debvisor.agentapi.AgentSettings;
import org.debvisor.agentapi.ControllerSettings;
import org.debvisor.agentapi.GrpcSettings;
import org.debvisor.agentapi.HttpSettings;
import org.debvisor.proto.HardwareFacts;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeIdentity;
import org.debvisor.proto.StatusRequest;

/**
 * The real /metrics of an agent with every meter family present: enrolled with a test controller
 * (link, certificate and heartbeat meters), one collector, one served Status RPC.
 */
public final class AgentExposition {

  private AgentExposition() {}

  /** Starts such an agent with its state under {@code dir}, scrapes it once and stops it. */
  public static String scrape(Path dir) throws Exception {
    try (TestController controller = new TestController().start();
        Agent agent = enrolledAgent(controller, dir)) {
      agent.controllerLink().orElseThrow().runOnce();
      ManagedChannel channel = TestAgents.channel(agent);
      try {
        NodeGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .status(StatusRequest.getDefaultInstance());
      } finally {
        TestAgents.close(channel);
      }
      return metrics(agent);
    }
  }

  private static Agent enrolledAgent(TestController controller, Path dir) throws Exception {
    Path ca = controller.writeCa(dir.resolve("pinned-ca.pem"));
    Path token = Files.writeString(dir.resolve("token"), controller.createToken() + "\n");
    AgentSettings settings =
        new AgentSettings(
            null,
            new GrpcSettings(List.of("127.0.0.1:0"), null, null, null),
            new HttpSettings("127.0.0.1:0"),
            null,
            null,
            TestAgents.temporaryConfig(List.of(), List.of()),
            null,
            null,
            new ControllerSettings(
                controller.address(),
                ca,
                token,
                dir.resolve("pki"),
                null,
                Duration.ofSeconds(10),
                Duration.ofMinutes(5),
                "ceph"));
    Agent agent =
        new Agent(
            settings,
            NodeIdentity.newBuilder()
                .setNodeId("node-1")
                .setHostname("node-1")
                .setArch("amd64")
                .setAgentVersion("test")
                .build(),
            List.of(new SwitchableCollector()),
            Clock.systemUTC(),
            new LinkOptions(
                HardwareFacts::getDefaultInstance, new SplittableRandom(7), d -> {}, false));
    agent.start();
    return agent;
  }

  private static String metrics(Agent agent) throws Exception {
    int port = agent.httpAddress().orElseThrow().getPort();
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    }
  }
}
