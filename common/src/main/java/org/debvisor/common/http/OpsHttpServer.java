package org.debvisor.common.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A small plain-HTTP server for {@code /metrics} and probes. It answers GET and HEAD (405 with
 * {@code Allow} otherwise) on one event-loop thread that never waits for a client: a half-sent
 * request or a client that never reads its responses holds only its own connection, and only for
 * {@link OpsLimits#exchangeTimeout()}; connections beyond {@link OpsLimits#maxConnections()} are
 * closed on arrival.
 */
public final class OpsHttpServer implements AutoCloseable {

  private static final int MAX_HEADER_BYTES = 8 * 1024;
  private static final int MAX_BODY_BYTES = 8 * 1024;

  private final EventLoopGroup group;
  private final Channel channel;

  private OpsHttpServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /** Binds and serves {@code routes} (exact paths) with the default limits. */
  public static OpsHttpServer start(
      InetSocketAddress address, Map<String, Supplier<OpsResponse>> routes) throws IOException {
    return start(address, routes, OpsLimits.DEFAULT);
  }

  /**
   * Binds and serves {@code routes} (exact paths; a query string is ignored).
   *
   * @throws IOException when the address cannot be bound
   */
  public static OpsHttpServer start(
      InetSocketAddress address, Map<String, Supplier<OpsResponse>> routes, OpsLimits limits)
      throws IOException {
    Map<String, Supplier<OpsResponse>> table = Map.copyOf(routes);
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("ops-http", true), NioIoHandler.newFactory());
    ConnectionLimiter limiter = new ConnectionLimiter(limits.maxConnections());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 64)
            // One request at a time per connection: OpsHandler reads again only when it has
            // answered every request it holds.
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 << 10, 64 << 10))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(limiter)
                        .addLast(new ExchangeDeadline(limits.exchangeTimeout()))
                        .addLast(new HttpServerCodec(4096, MAX_HEADER_BYTES, 8192))
                        .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                        .addLast(new OpsHandler(table));
                  }
                });
    try {
      Channel channel = bootstrap.bind(address).sync().channel();
      return new OpsHttpServer(group, channel);
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IOException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
  }

  /** The bound address (the port resolved when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
