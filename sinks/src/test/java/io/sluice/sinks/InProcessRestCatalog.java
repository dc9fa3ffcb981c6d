package io.sluice.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.RESTCatalogProperties;
import org.apache.iceberg.rest.RestMapperForTests;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ErrorResponse;

/**
 * An Iceberg REST catalog server on loopback, in the test JVM: the endpoints Sluice's compactor and readers use,
 * served by Iceberg's own {@link CatalogHandlers} over a backing catalog, speaking the protocol's JSON with Iceberg's
 * own mapper. What Glue, S3 Tables, Polaris and Nessie speak to Iceberg's REST client.
 */
final class InProcessRestCatalog implements AutoCloseable {
    private final HttpServer server;
    private final Catalog backing;
    private final ObjectMapper json = RestMapperForTests.mapper();

    private InProcessRestCatalog(Catalog backing) throws IOException {
        this.backing = backing;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    /** Serves {@code backing} (a catalog that supports namespaces) until closed. */
    static InProcessRestCatalog serving(Catalog backing) throws IOException {
        return new InProcessRestCatalog(backing);
    }

    /** The endpoint a REST catalog client is given as its uri. */
    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path = exchange.getRequestURI()
                    .getRawPath()
                    .substring("/v1/".length())
                    .split("/");
            String method = exchange.getRequestMethod();
            SupportsNamespaces namespaces = (SupportsNamespaces) backing;
            try {
                Object response = route(exchange, path, method, namespaces);
                if (response == null) {
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    send(exchange, 200, response);
                }
            } catch (NoSuchTableException | NoSuchNamespaceException e) {
                error(exchange, 404, e);
            } catch (AlreadyExistsException | CommitFailedException e) {
                error(exchange, 409, e);
            } catch (RuntimeException e) {
                error(exchange, 500, e);
            }
        }
    }

    private Object route(HttpExchange exchange, String[] path, String method, SupportsNamespaces namespaces)
            throws IOException {
        if (path[0].equals("config")) {
            return ConfigResponse.builder().build();
        }
        if (!path[0].equals("namespaces")) {
            throw new UnsupportedOperationException("not served: " + String.join("/", path));
        }
        if (path.length == 1) {
            return method.equals("POST")
                    ? CatalogHandlers.createNamespace(namespaces, read(exchange, CreateNamespaceRequest.class))
                    : CatalogHandlers.listNamespaces(namespaces, Namespace.empty());
        }
        Namespace namespace =
                Namespace.of(URLDecoder.decode(path[1], StandardCharsets.UTF_8).split("\u001f"));
        if (path.length == 2) {
            if (method.equals("HEAD")) {
                CatalogHandlers.namespaceExists(namespaces, namespace);
                return null;
            }
            return CatalogHandlers.loadNamespace(namespaces, namespace);
        }
        if (path.length == 3) {
            if (method.equals("POST")) {
                CreateTableRequest request = read(exchange, CreateTableRequest.class);
                return request.stageCreate()
                        ? CatalogHandlers.stageTableCreate(backing, namespace, request)
                        : CatalogHandlers.createTable(backing, namespace, request);
            }
            return CatalogHandlers.listTables(backing, namespace);
        }
        TableIdentifier table = TableIdentifier.of(namespace, URLDecoder.decode(path[3], StandardCharsets.UTF_8));
        if (path.length > 4) {
            return null; // metrics reports: accepted and dropped
        }
        return switch (method) {
            case "HEAD" -> {
                CatalogHandlers.tableExists(backing, table);
                yield null;
            }
            case "POST" -> CatalogHandlers.updateTable(backing, table, read(exchange, UpdateTableRequest.class));
            case "DELETE" -> {
                CatalogHandlers.dropTable(backing, table);
                yield null;
            }
            default -> CatalogHandlers.loadTable(backing, table, RESTCatalogProperties.SnapshotMode.ALL);
        };
    }

    private <T> T read(HttpExchange exchange, Class<T> type) throws IOException {
        return json.readValue(exchange.getRequestBody(), type);
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void error(HttpExchange exchange, int status, RuntimeException e) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        send(
                exchange,
                status,
                ErrorResponse.builder()
                        .responseCode(status)
                        .withType(e.getClass().getSimpleName())
                        .withMessage(String.valueOf(e.getMessage()))
                        .build());
    }
}
