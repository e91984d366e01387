package org.debvisor.bench;

import io.grpc.Server;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
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
 * logging. Usage: {@code BaselineNodeServer PORT REPORT_FILE [TLS_ADDRESS TLS_PORT CERT KEY
 * [CLIENT_CA]]}: the optional second listener serves TLS on another address, as the agent does off
 * loopback, and with CLIENT_CA requires a client certificate signed by it (mutual TLS).
 */
public final class BaselineNodeServer {

  private BaselineNodeServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    NodeStatus report = NodeStatus.parseFrom(Files.readAllBytes(Path.of(args[1])));
    Server server = server(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), report);
    if (args.length >= 6) {
      SslContextBuilder ssl =
          GrpcSslContexts.forServer(Path.of(args[4]).toFile(), Path.of(args[5]).toFile());
      if (args.length == 7) {
        ssl.trustManager(Path.of(args[6]).toFile()).clientAuth(ClientAuth.REQUIRE);
      }
      Server tls =
          NettyServerBuilder.forAddress(
                  new InetSocketAddress(InetAddress.getByName(args[2]), Integer.parseInt(args[3])))
              .sslContext(ssl.build())
              .directExecutor()
              .addService(service(report))
              .build()
              .start();
      System.out.println("baseline listening with TLS on " + tls.getListenSockets());
    }
    System.out.println("baseline listening on " + server.getListenSockets());
    server.awaitTermination();
  }

  private static Server server(InetSocketAddress address, NodeStatus report) throws Exception {
    return NettyServerBuilder.forAddress(address)
        // Same threading as the agent, so the ratio isolates what the agent adds.
        .directExecutor()
        .addService(service(report))
        .build()
        .start();
  }

  private static NodeGrpc.NodeImplBase service(NodeStatus report) {
    return new NodeGrpc.NodeImplBase() {
      @Override
      public void status(StatusRequest request, StreamObserver<NodeStatus> out) {
        out.onNext(report);
        out.onCompleted();
      }
    };
  }
}
