package org.debvisor.bench;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.debvisor.proto.NodeGrpc;
import org.debvisor.proto.NodeStatus;
import org.debvisor.proto.StatusRequest;

/**
 * The limit an agent is measured against: a bare grpc-java server answering {@code
 * debvisor.Node/Status} with a fixed report of the same size, with no interceptors, metrics or
 * logging. Usage: {@code BaselineNodeServer PORT REPORT_FILE}.
 */
public final class BaselineNodeServer {

  private BaselineNodeServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    NodeStatus report = NodeStatus.parseFrom(Files.readAllBytes(Path.of(args[1])));
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            // Same threading as the agent, so the ratio isolates what the agent adds.
            .directExecutor()
            .addService(
                new NodeGrpc.NodeImplBase() {
                  @Override
                  public void status(StatusRequest request, StreamObserver<NodeStatus> out) {
                    out.onNext(report);
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    System.out.println("baseline listening on " + server.getListenSockets());
    server.awaitTermination();
  }
}
