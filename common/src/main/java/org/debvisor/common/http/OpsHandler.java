package org.debvisor.common.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one request at a time from the route table. Requests that arrived together (pipelined)
 * wait in order; the socket is read again only once every one of them is answered, so a client that
 * sends without reading holds its own connection and nothing more. (Netty 4.2.15's
 * FlowControlHandler, used for this before, stopped handing on the second request of a kept-alive
 * connection: every Prometheus scrape after the first on a connection hung until the exchange
 * timeout.)
 */
final class OpsHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(OpsHandler.class);

  private final Map<String, Supplier<OpsResponse>> routes;
  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
  private boolean answering;

  OpsHandler(Map<String, Supplier<OpsResponse>> routes) {
    this.routes = routes;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    waiting.add(request);
    answerNext(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    waiting.forEach(ReferenceCountUtil::release);
    waiting.clear();
    super.channelInactive(ctx);
  }

  private void answerNext(ChannelHandlerContext ctx) {
    if (answering || !ctx.channel().isActive()) {
      return;
    }
    FullHttpRequest request = waiting.poll();
    if (request == null) {
      ctx.read();
      return;
    }
    answering = true;
    boolean keepAlive;
    FullHttpResponse response;
    try {
      keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
      response = answer(request);
    } finally {
      request.release();
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    ctx.writeAndFlush(response)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  answering = false;
                  if (!f.isSuccess() || !keepAlive) {
                    f.channel().close();
                  } else {
                    answerNext(ctx);
                  }
                });
  }

  private FullHttpResponse answer(FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      return response(HttpResponseStatus.BAD_REQUEST, OpsResponse.text(400, "bad request\n"), true);
    }
    String path = request.uri();
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    Supplier<OpsResponse> route = routes.get(path);
    if (route == null) {
      return response(HttpResponseStatus.NOT_FOUND, OpsResponse.text(404, "not found\n"), true);
    }
    boolean head = request.method().equals(HttpMethod.HEAD);
    if (!head && !request.method().equals(HttpMethod.GET)) {
      FullHttpResponse refused =
          response(
              HttpResponseStatus.METHOD_NOT_ALLOWED,
              OpsResponse.text(405, "method not allowed\n"),
              true);
      refused.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      return refused;
    }
    OpsResponse answer;
    try {
      answer = route.get();
    } catch (RuntimeException e) {
      log.warn("ops endpoint {} failed", path, e);
      answer = OpsResponse.text(500, "internal error\n");
    }
    return response(HttpResponseStatus.valueOf(answer.status()), answer, !head);
  }

  /** HEAD gets the same headers as GET, Content-Length included, and no body. */
  private static FullHttpResponse response(
      HttpResponseStatus status, OpsResponse answer, boolean withBody) {
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    ByteBuf content = withBody ? Unpooled.wrappedBuffer(bytes) : Unpooled.EMPTY_BUFFER;
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset or oversize request from one client: drop that connection, nothing else.
    ctx.close();
  }
}
