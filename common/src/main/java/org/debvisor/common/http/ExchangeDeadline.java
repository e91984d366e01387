package org.debvisor.common.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that does not finish an exchange in time: from the end of the last response
 * (or the connection's start), the client has {@code timeout} to send a whole request and take its
 * whole response. A byte now and then does not extend it, unlike a read-idle timeout.
 */
final class ExchangeDeadline extends ChannelDuplexHandler {

  private final long timeoutNanos;
  private ScheduledFuture<?> deadline;

  ExchangeDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    arm(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    // Each response is written whole by OpsHandler: its completion starts the next exchange.
    super.write(ctx, msg, promise.unvoid().addListener(f -> arm(ctx)));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  private void arm(ChannelHandlerContext ctx) {
    cancel();
    if (ctx.channel().isOpen()) {
      deadline = ctx.executor().schedule(() -> ctx.close(), timeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void cancel() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
