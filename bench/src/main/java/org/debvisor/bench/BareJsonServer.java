package org.debvisor.bench;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The limit of the node list: Armeria, the controller's HTTP server, over HTTPS with the
 * controller's certificate, answering one path with fixed JSON bytes from the event loop. No
 * authentication, database, paging or serialisation: what is left is TLS, HTTP/2 and the bytes.
 */
final class BareJsonServer implements AutoCloseable {

  private final Server server;

  BareJsonServer(String path, byte[] json, Path certificate, Path key) {
    this.server =
        Server.builder()
            .https(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .tls(certificate.toFile(), key.toFile())
            .service(path, (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON, json))
            .build();
    server.start().join();
  }

  int port() {
    return server.activePort(SessionProtocol.HTTPS).localAddress().getPort();
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
