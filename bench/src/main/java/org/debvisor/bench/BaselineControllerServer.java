package org.debvisor.bench;

import io.grpc.Server;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.debvisor.proto.ControllerGrpc;
import org.debvisor.proto.HeartbeatRequest;
import org.debvisor.proto.HeartbeatResponse;
import org.debvisor.proto.RegisterNodeRequest;
import org.debvisor.proto.RegisterNodeResponse;

/**
 * The limit the controller's RegisterNode is measured against: a bare grpc-java server over the
 * same TLS (the controller's own server certificate) echoing a fixed answer of the same size, with
 * no checks, database, signing, interceptors or logging. Usage: {@code BaselineControllerServer
 * PORT CERT_FILE KEY_FILE RESPONSE_FILE}.
 */
public final class BaselineControllerServer {

  private BaselineControllerServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    RegisterNodeResponse answer =
        RegisterNodeResponse.parseFrom(Files.readAllBytes(Path.of(args[3])));
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
            .sslContext(GrpcSslContexts.forServer(new File(args[1]), new File(args[2])).build())
            .addService(
                new ControllerGrpc.ControllerImplBase() {
                  @Override
                  public void registerNode(
                      RegisterNodeRequest request, StreamObserver<RegisterNodeResponse> out) {
                    out.onNext(answer);
                    out.onCompleted();
                  }

                  @Override
                  public void heartbeat(
                      HeartbeatRequest request, StreamObserver<HeartbeatResponse> out) {
                    out.onNext(HeartbeatResponse.getDefaultInstance());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    System.out.println("baseline controller listening on " + server.getListenSockets());
    server.awaitTermination();
  }
}
