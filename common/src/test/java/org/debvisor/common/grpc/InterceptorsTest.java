package org.debvisor.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The shared interceptors over a real (in-process) gRPC server with a string echo method. */
class InterceptorsTest {

  private static final MethodDescriptor.Marshaller<String> TEXT =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      };

  private static final MethodDescriptor<String, String> ECHO =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("test.Echo/Say")
          .setRequestMarshaller(TEXT)
          .setResponseMarshaller(TEXT)
          .build();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Map<String, String> mdcSeenByHandler = new ConcurrentHashMap<>();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    ServerServiceDefinition echo =
        ServerServiceDefinition.builder("test.Echo")
            .addMethod(
                ECHO,
                ServerCalls.asyncUnaryCall(
                    (request, observer) -> {
                      mdcSeenByHandler.put("request_id", String.valueOf(MDC.get("request_id")));
                      mdcSeenByHandler.put("rpc_method", String.valueOf(MDC.get("rpc_method")));
                      if (request.equals("fail")) {
                        observer.onError(Status.INVALID_ARGUMENT.asRuntimeException());
                        return;
                      }
                      observer.onNext(request);
                      observer.onCompleted();
                      // A handler may still log after it closed its call.
                      mdcSeenByHandler.put(
                          "request_id_after_close", String.valueOf(MDC.get("request_id")));
                    }))
            .build();
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                ServerInterceptors.intercept(
                    echo,
                    new RequestIdInterceptor("debvisor.test.rpc"),
                    new RpcMetricsInterceptor(registry)))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    GrpcServers.stop(List.of(server), Duration.ofSeconds(1));
  }

  private String call(String text, Metadata headers, AtomicReference<Metadata> responseHeaders) {
    var intercepted =
        io.grpc.ClientInterceptors.intercept(
            channel,
            MetadataUtils.newAttachHeadersInterceptor(headers),
            MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, new AtomicReference<>()));
    return ClientCalls.blockingUnaryCall(intercepted, ECHO, CallOptions.DEFAULT, text);
  }

  @Test
  void aSaneCallerIdIsEchoedAndInTheLoggingContext() {
    Metadata headers = new Metadata();
    headers.put(RequestIdInterceptor.REQUEST_ID, "req-42");
    AtomicReference<Metadata> response = new AtomicReference<>();

    assertThat(call("hi", headers, response)).isEqualTo("hi");

    assertThat(response.get().get(RequestIdInterceptor.REQUEST_ID)).isEqualTo("req-42");
    assertThat(mdcSeenByHandler)
        .containsEntry("request_id", "req-42")
        .containsEntry("rpc_method", "test.Echo/Say");
    assertThat(MDC.get("request_id")).as("removed after the call").isNull();
  }

  @Test
  void theLoggingContextStaysUntilTheHandlerReturnsAndIsThenRemoved() {
    Metadata headers = new Metadata();
    headers.put(RequestIdInterceptor.REQUEST_ID, "req-43");

    assertThat(call("hi", headers, new AtomicReference<>())).isEqualTo("hi");

    // Closing the call inside the handler's callback must not clear the context the callback set.
    assertThat(mdcSeenByHandler).containsEntry("request_id_after_close", "req-43");
    assertThat(MDC.get("request_id")).isNull();
    assertThat(MDC.get("rpc_method")).isNull();
  }

  @Test
  void withoutAUsableCallerIdANewOneIsReturned() {
    Metadata headers = new Metadata();
    headers.put(RequestIdInterceptor.REQUEST_ID, "spaces and ; are not sane");
    AtomicReference<Metadata> response = new AtomicReference<>();

    call("hi", headers, response);

    String returned = response.get().get(RequestIdInterceptor.REQUEST_ID);
    assertThat(returned).matches("[0-9a-f]{16}");
    assertThat(mdcSeenByHandler).containsEntry("request_id", returned);
  }

  @Test
  void withoutACallerIdTheCallIsLoggedUnderANewOneThatIsNotSentBack() {
    AtomicReference<Metadata> response = new AtomicReference<>();

    assertThat(call("hi", new Metadata(), response)).isEqualTo("hi");

    assertThat(response.get().containsKey(RequestIdInterceptor.REQUEST_ID)).isFalse();
    assertThat(mdcSeenByHandler.get("request_id")).matches("[0-9a-f]{16}");
  }

  @Test
  void everyCallIsTimedByMethodAndCode() {
    call("hi", new Metadata(), new AtomicReference<>());
    try {
      call("fail", new Metadata(), new AtomicReference<>());
    } catch (StatusRuntimeException expected) {
      assertThat(expected.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    assertThat(
            registry
                .get("debvisor.rpc.request.duration")
                .tags("method", "test.Echo/Say", "code", "OK")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("debvisor.rpc.request.duration")
                .tags("method", "test.Echo/Say", "code", "INVALID_ARGUMENT")
                .timer()
                .count())
        .isEqualTo(1);
  }
}
