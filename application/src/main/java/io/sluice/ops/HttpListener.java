package io.sluice.ops;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One port with threads of its own: a JDK HTTP server whose requests are cut off at the read and total limits
 * ({@link RequestDeadlines}) and counted in {@code sluice_http_requests_cut_off_total}.
 */
public final class HttpListener implements AutoCloseable {
    private final HttpServer server;
    private final RequestDeadlines deadlines;

    private HttpListener(HttpServer server, RequestDeadlines deadlines) {
        this.server = server;
        this.deadlines = deadlines;
    }

    /**
     * Starts serving.
     *
     * @param name     the listener's name, in thread names and the cut-off metric ({@code ops}, {@code dimensions})
     * @param address  where to listen (port 0 for any free one)
     * @param threads  request threads
     * @param read     the most time a request line and headers may take
     * @param total    the most time a whole request may take
     * @param meters   where cut-off requests are counted
     * @param handlers handlers by path prefix
     * @param filters  filters every request passes, after its headers are read (authentication)
     */
    static HttpListener start(
            String name,
            InetSocketAddress address,
            int threads,
            Duration read,
            Duration total,
            MeterRegistry meters,
            Map<String, HttpHandler> handlers,
            List<Filter> filters) {
        Counter readCutOff = cutOffCounter(meters, name, "read");
        Counter totalCutOff = cutOffCounter(meters, name, "total");
        RequestDeadlines deadlines = new RequestDeadlines(
                "sluice-http-" + name,
                threads,
                read,
                total,
                limit -> (limit.equals("read") ? readCutOff : totalCutOff).increment());
        try {
            HttpServer server = HttpServer.create(address, 64);
            handlers.forEach((path, handler) -> {
                HttpContext context = server.createContext(path, handler);
                context.getFilters().add(deadlines.headersRead());
                context.getFilters().addAll(filters);
            });
            server.setExecutor(deadlines);
            server.start();
            return new HttpListener(server, deadlines);
        } catch (IOException e) {
            deadlines.close();
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        deadlines.close();
    }

    private static Counter cutOffCounter(MeterRegistry meters, String listener, String limit) {
        return Counter.builder("sluice.http.requests.cut.off")
                .description("HTTP requests closed at a time limit: read (request line and headers too slow) or total")
                .tag("listener", listener)
                .tag("limit", limit)
                .register(meters);
    }
}
