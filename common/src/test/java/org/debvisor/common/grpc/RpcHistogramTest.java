package org.debvisor.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.debvisor.common.metrics.PrometheusRegistries;
import org.junit.jupiter.api.Test;

/** The RPC histogram as Prometheus scrapes it: fixed buckets, 1 s among them, p99-ready. */
class RpcHistogramTest {

  private static final MethodDescriptor.Marshaller<String> NONE =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return InputStream.nullInputStream();
        }

        @Override
        public String parse(InputStream stream) {
          return "";
        }
      };

  @Test
  void oneCallGivesTheFixedBucketsIncludingOneSecond() {
    PrometheusMeterRegistry registry = PrometheusRegistries.create();
    MethodDescriptor<String, String> method =
        MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("test.Echo/Say")
            .setRequestMarshaller(NONE)
            .setResponseMarshaller(NONE)
            .build();
    ServerCall<String, String> call =
        new ServerCall<>() {
          @Override
          public void request(int numMessages) {}

          @Override
          public void sendHeaders(Metadata headers) {}

          @Override
          public void sendMessage(String message) {}

          @Override
          public void close(Status status, Metadata trailers) {}

          @Override
          public boolean isCancelled() {
            return false;
          }

          @Override
          public MethodDescriptor<String, String> getMethodDescriptor() {
            return method;
          }
        };
    AtomicReference<ServerCall<String, String>> handedOn = new AtomicReference<>();

    new RpcMetricsInterceptor(registry)
        .interceptCall(
            call,
            new Metadata(),
            (timed, headers) -> {
              handedOn.set(timed);
              return new ServerCall.Listener<>() {};
            });
    handedOn.get().close(Status.OK, new Metadata());
    String scrape = registry.scrape();

    List<String> buckets =
        scrape
            .lines()
            .filter(l -> l.startsWith("debvisor_rpc_request_duration_seconds_bucket{"))
            .toList();
    assertThat(scrape).contains("# TYPE debvisor_rpc_request_duration_seconds histogram");
    assertThat(buckets).hasSize(RpcMetricsInterceptor.BUCKETS.size() + 1);
    assertThat(buckets).anySatisfy(l -> assertThat(l).contains("le=\"1.0\""));
    assertThat(buckets).anySatisfy(l -> assertThat(l).contains("le=\"+Inf\""));
  }
}
