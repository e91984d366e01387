package org.debvisor.controller.server;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.debvisor.common.testing.MutableClock;
import org.debvisor.controller.client.ControllerConnection;
import org.debvisor.proto.ControllerGrpc;

/** A real controller on 127.0.0.1 (free port) over a temp state directory, for tests. */
public final class RunningController implements AutoCloseable {

  public final Path stateDir;
  public final MutableClock clock;
  public final SimpleMeterRegistry registry;
  public final Controller controller;
  private final ControllerConnection operator;

  private RunningController(
      Path stateDir, MutableClock clock, SimpleMeterRegistry registry, Controller controller)
      throws IOException {
    this.stateDir = stateDir;
    this.registry = registry;
    this.clock = clock;
    this.controller = controller;
    this.operator = ControllerConnection.open(target(), caFile(), operatorToken());
  }

  public static RunningController start(Path stateDir) throws IOException {
    return start(stateDir, UnaryOperator.identity());
  }

  public static RunningController start(Path stateDir, UnaryOperator<ControllerSettings> customise)
      throws IOException {
    MutableClock clock = new MutableClock();
    ControllerSettings settings =
        customise.apply(ControllerSettings.defaults(stateDir).withListen("127.0.0.1", 0));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    return new RunningController(
        stateDir, clock, registry, Controller.start(settings, registry, clock));
  }

  public String target() {
    return "127.0.0.1:" + controller.address().getPort();
  }

  public Path caFile() {
    return stateDir.resolve("pki/ca.pem");
  }

  public String operatorToken() throws IOException {
    return Files.readString(stateDir.resolve("operator-token"), StandardCharsets.UTF_8).trim();
  }

  /** Stub authenticated as the operator. */
  public ControllerGrpc.ControllerBlockingStub operator() {
    return operator.controller(120);
  }

  /** Stub without any credentials. */
  public ControllerConnection anonymous() throws IOException {
    return ControllerConnection.open(target(), caFile(), null);
  }

  @Override
  public void close() {
    operator.close();
    controller.close();
  }
}
