package org.debvisor.agent.server;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;

/** Rebinds {@code debvisor.Node}'s report-returning methods to another reply marshaller. */
public final class ReportReplies {

  private ReportReplies() {}

  /**
   * {@code debvisor.Node} with each report serialised once ({@link LastReportBytes}) instead of
   * once per {@code Status} call or watch message.
   */
  public static BindableService serialisedOnce(NodeService node) {
    return () -> serialisedOnce(node.bindService(), new LastReportBytes());
  }

  /**
   * The bound service with {@code Status} and {@code WatchStatus} replies written by {@code
   * replies}; everything else, the schema (for reflection) included, unchanged.
   */
  static ServerServiceDefinition serialisedOnce(
      ServerServiceDefinition bound, MethodDescriptor.Marshaller<NodeStatus> replies) {
    ServiceDescriptor original = bound.getServiceDescriptor();
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : bound.getMethods()) {
      String name = method.getMethodDescriptor().getFullMethodName();
      if (name.equals(NodeGrpc.getStatusMethod().getFullMethodName())) {
        methods.add(rebind(NodeGrpc.getStatusMethod(), bound, replies));
      } else if (name.equals(NodeGrpc.getWatchStatusMethod().getFullMethodName())) {
        methods.add(rebind(NodeGrpc.getWatchStatusMethod(), bound, replies));
      } else {
        methods.add(method);
      }
    }
    // A service definition must list the very descriptor objects its methods carry.
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(original.getName())
            .setSchemaDescriptor(original.getSchemaDescriptor());
    methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
    ServerServiceDefinition.Builder rebound = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(rebound::addMethod);
    return rebound.build();
  }

  private static <Q> ServerMethodDefinition<Q, NodeStatus> rebind(
      MethodDescriptor<Q, NodeStatus> generated,
      ServerServiceDefinition bound,
      MethodDescriptor.Marshaller<NodeStatus> replies) {
    @SuppressWarnings("unchecked") // bound by NodeImplBase for exactly this generated descriptor
    ServerMethodDefinition<Q, NodeStatus> handler =
        (ServerMethodDefinition<Q, NodeStatus>) bound.getMethod(generated.getFullMethodName());
    return ServerMethodDefinition.create(
        generated.toBuilder().setResponseMarshaller(replies).build(),
        handler.getServerCallHandler());
  }
}
