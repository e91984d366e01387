package org.debvisor.controller.server;

import io.github.bucket4j.ConsumptionProbe;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.debvisor.proto.ControllerGrpc;

/**
 * Limits RegisterNode per source address with a Bucket4j token bucket, so a token guesser or a
 * misconfigured fleet cannot flood enrolment. A refused call gets RESOURCE_EXHAUSTED with {@code
 * retry-after} (seconds) and {@code grpc-retry-pushback-ms}.
 */
final class RegisterRateLimiter implements ServerInterceptor {

  private final SourceBuckets buckets;
  private final Counter refused;

  RegisterRateLimiter(ControllerSettings.RateLimit limit, MeterRegistry registry) {
    this.buckets = new SourceBuckets(limit);
    this.refused =
        Counter.builder("debvisor.rate.limited")
            .description("RegisterNode calls refused by the per-source rate limit")
            .tag("method", "RegisterNode")
            .register(registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!call.getMethodDescriptor()
        .getFullMethodName()
        .equals(ControllerGrpc.getRegisterNodeMethod().getFullMethodName())) {
      return next.startCall(call, headers);
    }
    String source =
        AuthInterceptor.source(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    ConsumptionProbe probe = buckets.of(source).tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return next.startCall(call, headers);
    }
    refused.increment();
    StatusRuntimeException e =
        buckets.exhausted(
            "too many RegisterNode calls from " + source, probe.getNanosToWaitForRefill(), "");
    call.close(e.getStatus(), e.getTrailers());
    return new ServerCall.Listener<>() {};
  }
}
