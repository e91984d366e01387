package org.debvisor.common.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers one request at a time from the route table, then asks for the next one. */
final class OpsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(OpsHandler.class);

  private final Map<String, Supplier<OpsResponse>> routes;

  OpsHandler(Map<String, Supplier<OpsResponse>> routes) {
    this.routes = routes;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    ctx.read();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    FullHttpResponse response = answer(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (keepAlive) {
      written.addListener(
          (ChannelFutureListener)
              f -> {
                if (f.isSuccess()) {
                  ctx.read();
                }
              });
    } else {
      written.addListener(ChannelFutureListener.CLOSE);
    }
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
