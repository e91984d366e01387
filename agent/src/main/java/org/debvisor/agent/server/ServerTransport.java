package org.debvisor.agent.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Netty's native epoll transport where its library loads (Linux on x86-64 and arm64), else NIO.
 * Epoll answers the same calls with fewer system calls and no selector garbage.
 */
record ServerTransport(IoHandlerFactory handlers, Class<? extends ServerChannel> channelType) {

  static ServerTransport best() {
    return Epoll.isAvailable()
        ? new ServerTransport(EpollIoHandler.newFactory(), EpollServerSocketChannel.class)
        : new ServerTransport(NioIoHandler.newFactory(), NioServerSocketChannel.class);
  }

  /** Event loops of this transport, on daemon threads named {@code name-POOL-N}. */
  EventLoopGroup loops(int threads, String name) {
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), handlers);
  }
}
