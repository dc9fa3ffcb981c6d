package io.sluice.receiver;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push endpoint, {@code POST|GET /push/<app>}, on Netty: a request for a configured app with its token is made
 * durable ({@link DurableDelivery}) and answered 200 only then; anything else gets its documented 4xx and a metric, and
 * never reaches the topic or a log line with its body. {@code /metrics}, {@code /health/live} and {@code /health/ready}
 * are served on a port of their own.
 */
public final class PushServer implements AutoCloseable {
    /** The path prefix of pushes: {@code /push/<app id>}. */
    public static final String PUSH_PREFIX = "/push/";

    private static final Logger LOG = LoggerFactory.getLogger(PushServer.class);
    private static final int MAX_LINE = 8192;
    private static final long IDLE_KEEP_ALIVE_MS = 60_000;

    private final Channel push;
    private final Channel ops;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;

    private PushServer(Channel push, Channel ops, EventLoopGroup boss, EventLoopGroup workers) {
        this.push = push;
        this.ops = ops;
        this.boss = boss;
        this.workers = workers;
    }

    /**
     * Starts both listeners.
     *
     * @param scrape the Prometheus text of every meter, for {@code /metrics}
     */
    public static PushServer start(
            ReceiverSettings settings,
            AppTokens tokens,
            DurableDelivery delivery,
            Spool spool,
            ReceiverMetrics metrics,
            Supplier<String> scrape)
            throws InterruptedException {
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup();
        Channel push = listen(
                boss,
                workers,
                settings,
                settings.bindAddress(),
                settings.port(),
                pipeline -> pipeline.addLast(new HttpServerCodec(MAX_LINE, settings.maxHeaderBytes(), 8192))
                        .addLast(new Deadlines(settings, metrics))
                        .addLast(new BodyLimit(settings.maxBodyBytes(), metrics))
                        .addLast(new PushHandler(tokens, delivery, metrics)));
        Channel ops = listen(
                boss,
                workers,
                settings,
                settings.opsBindAddress(),
                settings.opsPort(),
                pipeline -> pipeline.addLast(new HttpServerCodec(MAX_LINE, 8192, 8192))
                        .addLast(new HttpObjectAggregator(8192))
                        .addLast(new OpsHandler(settings, spool, scrape)));
        PushServer server = new PushServer(push, ops, boss, workers);
        LOG.info("receiver: pushes on {}, metrics and probes on {}", push.localAddress(), ops.localAddress());
        return server;
    }

    /** A listener on the shared event loops whose connections close after the read timeout of silence. */
    private static Channel listen(
            EventLoopGroup boss,
            EventLoopGroup workers,
            ReceiverSettings settings,
            String address,
            int port,
            Consumer<ChannelPipeline> handlers)
            throws InterruptedException {
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new IdleStateHandler(
                                        settings.readTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                        handlers.accept(channel.pipeline());
                    }
                })
                .bind(address, port)
                .sync()
                .channel();
    }

    /** The push port actually bound (port 0 asks for a free one). */
    public int port() {
        return ((InetSocketAddress) push.localAddress()).getPort();
    }

    /** The ops port actually bound. */
    public int opsPort() {
        return ((InetSocketAddress) ops.localAddress()).getPort();
    }

    /** Stops accepting, lets requests in progress finish for up to a few seconds, and stops. */
    @Override
    public void close() {
        push.close().syncUninterruptibly();
        ops.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(1, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String body, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (status == HttpResponseStatus.SERVICE_UNAVAILABLE) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "30");
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String status(String value) {
        return "{\"status\":\"" + value + "\"}";
    }

    /**
     * A sender slower than {@code readTimeout} between bytes, or {@code requestTimeout} for the whole request, gets 408 and
     * its connection closed; a kept-alive connection idle for a minute is closed.
     */
    private static final class Deadlines extends ChannelInboundHandlerAdapter {
        private final ReceiverSettings settings;
        private final ReceiverMetrics metrics;
        private ScheduledFuture<?> deadline;
        private boolean inRequest;
        private long idleSince = System.currentTimeMillis();

        Deadlines(ReceiverSettings settings, ReceiverMetrics metrics) {
            this.settings = settings;
            this.metrics = metrics;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest && !inRequest) {
                inRequest = true;
                deadline = ctx.executor()
                        .schedule(() -> timedOut(ctx), settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            if (msg instanceof LastHttpContent) {
                inRequest = false;
                idleSince = System.currentTimeMillis();
                if (deadline != null) {
                    deadline.cancel(false);
                }
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                if (inRequest) {
                    timedOut(ctx);
                } else if (System.currentTimeMillis() - idleSince >= IDLE_KEEP_ALIVE_MS) {
                    ctx.close();
                }
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        private void timedOut(ChannelHandlerContext ctx) {
            if (inRequest && ctx.channel().isActive()) {
                inRequest = false;
                metrics.request(ReceiverMetrics.UNKNOWN_APP, "timeout");
                respond(ctx, HttpResponseStatus.REQUEST_TIMEOUT, status("request-timeout"), false);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (deadline != null) {
                deadline.cancel(false);
            }
            ctx.fireChannelInactive();
        }
    }

    /** The body limit: 413 and a closed connection for a larger body, counted. */
    private static final class BodyLimit extends HttpObjectAggregator {
        private final ReceiverMetrics metrics;

        BodyLimit(int maxBodyBytes, ReceiverMetrics metrics) {
            super(maxBodyBytes);
            this.metrics = metrics;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            metrics.request(ReceiverMetrics.UNKNOWN_APP, "too-large");
            super.handleOversizedMessage(ctx, oversized);
        }
    }

    /** A whole request: checked, made durable, answered. */
    private static final class PushHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final AppTokens tokens;
        private final DurableDelivery delivery;
        private final ReceiverMetrics metrics;

        PushHandler(AppTokens tokens, DurableDelivery delivery, ReceiverMetrics metrics) {
            this.tokens = tokens;
            this.delivery = delivery;
            this.metrics = metrics;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            long received = System.nanoTime();
            if (!request.decoderResult().isSuccess()) {
                Throwable cause = request.decoderResult().cause();
                boolean headers = cause instanceof TooLongHttpHeaderException;
                metrics.request(ReceiverMetrics.UNKNOWN_APP, headers ? "headers-too-large" : "bad-request");
                HttpResponseStatus status = headers
                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                        : cause instanceof TooLongHttpLineException || cause instanceof TooLongFrameException
                                ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                                : HttpResponseStatus.BAD_REQUEST;
                respond(ctx, status, status("bad-request"), false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.path();
            String app = path.startsWith(PUSH_PREFIX) ? path.substring(PUSH_PREFIX.length()) : null;
            if (app == null || app.isEmpty() || app.indexOf('/') >= 0 || !tokens.knows(app)) {
                metrics.request(ReceiverMetrics.UNKNOWN_APP, "unknown-app");
                respond(ctx, HttpResponseStatus.NOT_FOUND, status("unknown-app"), keepAlive);
                return;
            }
            if (!tokens.accepts(app, token(request, uri))) {
                metrics.request(app, "bad-token");
                respond(ctx, HttpResponseStatus.UNAUTHORIZED, status("bad-token"), keepAlive);
                return;
            }
            long now = System.currentTimeMillis();
            PushRecord pushed;
            if (request.method().equals(HttpMethod.POST)) {
                pushed = PushDecoder.post(app, ByteBufUtil.getBytes(request.content()), now);
            } else if (request.method().equals(HttpMethod.GET)) {
                pushed = PushDecoder.get(app, uri.parameters(), now);
            } else {
                metrics.request(app, "bad-request");
                respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, status("post-or-get"), keepAlive);
                return;
            }
            delivery.deliver(pushed)
                    .whenComplete((outcome, failure) -> ctx.executor().execute(() -> {
                        if (failure == null) {
                            metrics.request(
                                    app, outcome == DurableDelivery.Outcome.DELIVERED ? "delivered" : "spooled");
                            metrics.acknowledged(System.nanoTime() - received);
                            respond(ctx, HttpResponseStatus.OK, status("ok"), keepAlive);
                            return;
                        }
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure;
                        if (cause instanceof Spool.SpoolFullException) {
                            metrics.request(app, "spool-full");
                            respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, status("spool-full"), keepAlive);
                        } else {
                            metrics.request(app, "kafka-rejected");
                            LOG.warn(
                                    "receiver: a push for {} was refused by the cluster: {}",
                                    app,
                                    cause.getClass().getSimpleName());
                            respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, status("not-durable"), keepAlive);
                        }
                    }));
        }

        /** The token from {@code Authorization: Bearer}, or the {@code token} query parameter for senders without headers. */
        private static String token(HttpRequest request, QueryStringDecoder uri) {
            String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return header.substring(7).trim();
            }
            var values = uri.parameters().get(PushDecoder.TOKEN_PARAMETER);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("receiver: connection failed: {}", cause.getClass().getSimpleName());
            ctx.close();
        }
    }

    /** {@code /metrics}, {@code /health/live}, {@code /health/ready} (not ready while the spool is above its threshold). */
    private static final class OpsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ReceiverSettings settings;
        private final Spool spool;
        private final Supplier<String> scrape;

        OpsHandler(ReceiverSettings settings, Spool spool, Supplier<String> scrape) {
            this.settings = settings;
            this.spool = spool;
            this.scrape = scrape;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            switch (path) {
                case "/metrics" -> {
                    FullHttpResponse response = new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1,
                            HttpResponseStatus.OK,
                            Unpooled.copiedBuffer(scrape.get(), StandardCharsets.UTF_8));
                    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    response.headers()
                            .setInt(
                                    HttpHeaderNames.CONTENT_LENGTH,
                                    response.content().readableBytes());
                    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                }
                case "/health/live" -> respond(ctx, HttpResponseStatus.OK, status("UP"), keepAlive);
                case "/health/ready" -> {
                    boolean ready = spool.bytes() < settings.readyBelowBytes();
                    respond(
                            ctx,
                            ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "{\"status\":\"" + (ready ? "UP" : "DOWN") + "\",\"spoolBytes\":" + spool.bytes() + "}",
                            keepAlive);
                }
                default -> respond(ctx, HttpResponseStatus.NOT_FOUND, status("not-found"), keepAlive);
            }
        }
    }
}
