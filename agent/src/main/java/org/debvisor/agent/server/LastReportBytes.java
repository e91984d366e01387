package org.debvisor.agent.server;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.debvisor.proto.NodeStatus;

/**
 * Serialises node reports for {@code Status} and {@code WatchStatus} replies, keeping the bytes of
 * the last one: every call between two collections answers the same report object, so its bytes are
 * made once instead of once per call. Reports are immutable and a new one is a new object, so the
 * bytes are reused only for the very object they were made from and never outlive an update.
 */
final class LastReportBytes implements MethodDescriptor.Marshaller<NodeStatus> {

  private final MethodDescriptor.Marshaller<NodeStatus> proto =
      ProtoUtils.marshaller(NodeStatus.getDefaultInstance());

  /** The report and its bytes, published together. */
  private record Serialised(NodeStatus report, byte[] bytes) {}

  private volatile Serialised last;

  @Override
  public InputStream stream(NodeStatus report) {
    Serialised known = last;
    if (known == null || known.report() != report) {
      known = new Serialised(report, report.toByteArray());
      last = known;
    }
    return new ReplyStream(known.bytes());
  }

  @Override
  public NodeStatus parse(InputStream stream) {
    return proto.parse(stream);
  }

  /** Bytes the transport copies straight into its frame; the shared array is only read. */
  private static final class ReplyStream extends ByteArrayInputStream
      implements KnownLength, Drainable {

    ReplyStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      return (int) transferTo(target);
    }
  }
}
