package org.debvisor.sim;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/** The dropped-connection fault: answers a share of calls UNAVAILABLE before anything runs. */
final class DropInterceptor implements ServerInterceptor {

  private final DoubleSupplier fraction;
  private final SimCounters counters;

  DropInterceptor(DoubleSupplier fraction, SimCounters counters) {
    this.fraction = fraction;
    this.counters = counters;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    double share = fraction.getAsDouble();
    if (share > 0 && ThreadLocalRandom.current().nextDouble() < share) {
      counters.dropped.incrementAndGet();
      call.close(
          Status.UNAVAILABLE.withDescription("connection dropped (simulated fault)"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
