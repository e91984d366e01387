package org.debvisor.common.grpc;

import io.grpc.MethodDescriptor;
import java.io.InputStream;

/**
 * Hands a message's stream on untouched in both directions. A request stream is read once, by the
 * service's parser inside the interceptor chain, before the transport closes it; a reply stream
 * keeps its {@code Drainable} and {@code KnownLength}, so the transport serialises the reply
 * straight into the frame.
 */
final class PassThroughStreams implements MethodDescriptor.Marshaller<InputStream> {

  static final PassThroughStreams INSTANCE = new PassThroughStreams();

  private PassThroughStreams() {}

  @Override
  public InputStream stream(InputStream value) {
    return value;
  }

  @Override
  public InputStream parse(InputStream stream) {
    return stream;
  }
}
