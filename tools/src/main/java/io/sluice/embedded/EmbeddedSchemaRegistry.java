package io.sluice.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry for the embedded runtime and the tests: Apicurio Registry, whose
 * distribution Maven Central carries ({@code io.apicurio:apicurio-registry-app:tar.gz:all}, a build
 * dependency, so nothing is downloaded at run time), started as a child process bound to 127.0.0.1
 * with in-memory storage and BACKWARD compatibility. Sluice talks to its Confluent-compatible API.
 * A small shell wrapper stops the registry when this JVM dies, so no orphan outlives a crash.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
    /** The Apicurio version the build depends on. */
    public static final String APICURIO_VERSION = "2.6.13.Final";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
    private static final String DIST = "apicurio-registry-app-" + APICURIO_VERSION + "-all.tar.gz";
    private static final String RUNNER = "apicurio-registry-app-" + APICURIO_VERSION + "-runner.jar";

    private final Process process;
    private final int port;

    private EmbeddedSchemaRegistry(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a registry; its log goes to {@code workDir/schema-registry.log}. Returns once it is ready. */
    public static EmbeddedSchemaRegistry start(Path workDir) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(workDir);
            Path home = distribution();
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String command = String.join(
                    " ",
                    List.of(
                            quote(java),
                            "-Xmx256m",
                            "-Dquarkus.http.host=127.0.0.1",
                            "-Dquarkus.http.port=" + port,
                            "-Dregistry.rules.global.compatibility=BACKWARD",
                            "-Dregistry.ccompat.use-canonical-hash=true",
                            "-jar",
                            quote(home.resolve(RUNNER).toString())));
            // Runs the registry in the background and stops it when told to, or when this JVM is gone.
            String wrapper = command + " & child=$!\n"
                    + "trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT\n"
                    + "while kill -0 " + ProcessHandle.current().pid()
                    + " 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done\n"
                    + "kill $child 2>/dev/null; wait $child\n";
            Process process = new ProcessBuilder("sh", "-c", wrapper)
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("schema-registry.log").toFile())
                    .start();
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(process, port);
            registry.awaitReady(Duration.ofSeconds(90));
            LOG.info(
                    "schema registry (Apicurio {}) started on {} in {} ms",
                    APICURIO_VERSION,
                    registry.url(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded schema registry", e);
        }
    }

    /** The Confluent-compatible API's base URL. */
    public String url() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    /** Stops the registry and waits for it to exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the schema registry exited during startup; see schema-registry.log");
            }
            try {
                HttpResponse<Void> ready = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
        }
        close();
        throw new IllegalStateException(
                "the schema registry was not ready within " + timeout + "; see schema-registry.log");
    }

    /**
     * The unpacked distribution: {@code $SLUICE_APICURIO_HOME} if set, else the build's copy in the
     * local Maven repository, unpacked once into the temporary directory.
     */
    static Path distribution() throws IOException {
        String home = System.getenv("SLUICE_APICURIO_HOME");
        if (home != null && Files.exists(Path.of(home, RUNNER))) {
            return Path.of(home);
        }
        Path unpacked = Path.of(System.getProperty("java.io.tmpdir"), "sluice-apicurio-" + APICURIO_VERSION);
        if (Files.exists(unpacked.resolve(RUNNER)) && Files.exists(unpacked.resolve(".complete"))) {
            return unpacked;
        }
        Path archive = localRepository().resolve("io/apicurio/apicurio-registry-app/" + APICURIO_VERSION + "/" + DIST);
        if (!Files.exists(archive)) {
            throw new IllegalStateException("the Apicurio Registry distribution is not in the local Maven repository ("
                    + archive + "); build Sluice with 'mvn -B -ntp package' first, or set SLUICE_APICURIO_HOME");
        }
        Path partial = Files.createTempDirectory(unpacked.getParent(), "sluice-apicurio-unpacking-");
        try {
            Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", partial.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (tar.waitFor() != 0) {
                throw new IOException("tar could not unpack " + archive);
            }
            Files.writeString(partial.resolve(".complete"), APICURIO_VERSION);
            if (Files.exists(unpacked)) {
                deleteTree(unpacked);
            }
            Files.move(partial, unpacked);
            return unpacked;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking the schema registry", e);
        } finally {
            if (Files.exists(partial)) {
                deleteTree(partial);
            }
        }
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("MAVEN_REPO_LOCAL");
        }
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String quote(String path) {
        return "'" + path.replace("'", "'\\''") + "'";
    }
}
