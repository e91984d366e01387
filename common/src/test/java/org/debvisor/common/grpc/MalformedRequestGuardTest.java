package org.debvisor.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The health service behind the guard (with metrics and request logging around it, as in the
 * servers), called with raw bytes that are no protobuf message.
 */
class MalformedRequestGuardTest {

  private static final String LOGGER = "debvisor.test.malformed";
  private static final byte[] GARBAGE = {0x0a, (byte) 0xff, (byte) 0xff, 0x01, 0x02};

  /** Sends and receives bytes as they are. */
  private static final MethodDescriptor.Marshaller<byte[]> RAW =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static final MethodDescriptor<byte[], byte[]> RAW_CHECK =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(HealthGrpc.getCheckMethod().getFullMethodName())
          .setRequestMarshaller(RAW)
          .setResponseMarshaller(RAW)
          .build();

  private final AtomicLong now = new AtomicLong();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(LOGGER);
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    logs.start();
    logger.addAppender(logs);
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                ServerInterceptors.intercept(
                    MalformedRequestGuard.parsedInInterceptors(
                        new HealthStatusManager().getHealthService().bindService()),
                    List.of(
                        new MalformedRequestGuard(LOGGER, Duration.ofSeconds(10), now::get),
                        new RpcMetricsInterceptor(registry),
                        new RequestIdInterceptor(LOGGER))))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    logger.detachAppender(logs);
  }

  private StatusRuntimeException garbage() {
    return org.junit.jupiter.api.Assertions.assertThrows(
        StatusRuntimeException.class,
        () -> ClientCalls.blockingUnaryCall(channel, RAW_CHECK, CallOptions.DEFAULT, GARBAGE));
  }

  private long recorded(Status.Code code) {
    var timer =
        registry
            .find("debvisor.rpc.request.duration")
            .tags("method", HealthGrpc.getCheckMethod().getFullMethodName(), "code", code.name())
            .timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void aMalformedRequestIsInvalidArgumentForTheCallerAndTheMetric() {
    StatusRuntimeException e = garbage();

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("not a valid protobuf message");
    assertThat(recorded(Status.Code.INVALID_ARGUMENT)).isEqualTo(1);
    assertThat(recorded(Status.Code.INTERNAL)).isZero();
    assertThat(recorded(Status.Code.UNKNOWN)).isZero();
  }

  @Test
  void aValidRequestStillWorks() {
    HealthCheckResponse ok =
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());

    assertThat(ok.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(recorded(Status.Code.OK)).isEqualTo(1);
  }

  @Test
  void aFloodWritesOneLinePerIntervalCountingTheRest() {
    for (int i = 0; i < 50; i++) {
      assertThat(garbage().getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
    assertThat(logs.list).singleElement().satisfies(MalformedRequestGuardTest::oneLine);
    assertThat(logs.list.get(0).getFormattedMessage()).contains("(0 more since the last");

    now.addAndGet(Duration.ofSeconds(10).toNanos());
    garbage();

    assertThat(logs.list).hasSize(2);
    oneLine(logs.list.get(1));
    assertThat(logs.list.get(1).getFormattedMessage())
        .contains(HealthGrpc.getCheckMethod().getFullMethodName())
        .contains("(49 more since the last");
    assertThat(recorded(Status.Code.INVALID_ARGUMENT)).isEqualTo(51);
  }

  @Test
  void otherFailuresAreNotMistakenForMalformedRequests() {
    assertThatThrownBy(
            () ->
                HealthGrpc.newBlockingStub(channel)
                    .check(HealthCheckRequest.newBuilder().setService("no-such").build()))
        .isInstanceOf(StatusRuntimeException.class)
        .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains("malformed"));
  }

  private static void oneLine(ILoggingEvent event) {
    assertThat(event.getThrowableProxy()).as("no stack trace").isNull();
    assertThat(event.getFormattedMessage()).doesNotContain("\n").contains("malformed request");
  }
}
