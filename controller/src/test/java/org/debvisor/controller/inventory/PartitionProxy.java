package org.debvisor.controller.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on loopback between one client and a server, that the test can cut off like a network
 * partition: {@link #blackhole} stops passing bytes both ways without closing anything (what a
 * dropped route looks like to both ends: no reset, writes queue, reads wait), {@link #heal} passes
 * them on again, late, and {@link #cutAll} closes the connections it has.
 */
public final class PartitionProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final ExecutorService threads =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("partition-proxy-", 0).factory());
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private boolean forwarding = true; // guarded by gate
  private volatile boolean closed;

  private PartitionProxy(ServerSocket listener, InetSocketAddress target) {
    this.listener = listener;
    this.target = target;
  }

  /** Starts forwarding 127.0.0.1:{@link #port} to {@code target}. */
  public static PartitionProxy start(InetSocketAddress target) throws IOException {
    PartitionProxy proxy =
        new PartitionProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target);
    proxy.threads.execute(proxy::acceptLoop);
    return proxy;
  }

  /** The same database through this proxy. */
  public static PostgresUrl through(PostgresUrl url, PartitionProxy proxy) {
    return new PostgresUrl(url.user(), url.password(), "127.0.0.1", proxy.port(), url.database());
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Stops passing bytes, both ways and for new connections; nothing is closed. */
  public void blackhole() {
    synchronized (gate) {
      forwarding = false;
    }
  }

  /** Passes on what waited and everything after. */
  public void heal() {
    synchronized (gate) {
      forwarding = true;
      gate.notifyAll();
    }
  }

  /** Closes every connection made so far, at both ends; new ones are made as before. */
  public void cutAll() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        sockets.add(client);
        threads.execute(() -> connect(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void connect(Socket client) {
    Socket server = new Socket();
    sockets.add(server);
    try {
      awaitForwarding();
      server.connect(target, 5_000);
      threads.execute(() -> pump(client, server));
      threads.execute(() -> pump(server, client));
    } catch (IOException | InterruptedException e) {
      closeQuietly(client);
      closeQuietly(server);
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      while (true) {
        int n = in.read(buffer);
        awaitForwarding();
        if (n < 0) {
          to.shutdownOutput();
          return;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void awaitForwarding() throws InterruptedException {
    synchronized (gate) {
      while (!forwarding && !closed) {
        gate.wait();
      }
    }
    if (closed) {
      throw new InterruptedException("proxy closed");
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    synchronized (gate) {
      gate.notifyAll();
    }
    listener.close();
    cutAll();
    threads.shutdownNow();
  }
}
