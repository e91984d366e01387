package org.debvisor.agent.collect.kubernetes;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Accepts connections and never answers: an apiserver that hangs. */
final class SilentAcceptor implements AutoCloseable {

  private static final int MAX_CONNECTIONS = 20;

  private final ServerSocket server;
  private final List<Socket> held = new ArrayList<>();
  private final Thread thread;

  SilentAcceptor(ServerSocket server) {
    this.server = server;
    this.thread = Thread.ofVirtual().start(this::acceptUntilClosed);
  }

  private void acceptUntilClosed() {
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        Socket socket = server.accept();
        synchronized (held) {
          held.add(socket);
        }
      }
    } catch (IOException e) {
      // server socket closed: done
    }
  }

  int accepted() {
    synchronized (held) {
      return held.size();
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    thread.join(2000);
    synchronized (held) {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }
}
