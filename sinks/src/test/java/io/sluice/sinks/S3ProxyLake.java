package io.sluice.sinks;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-compatible server in the test JVM (S3Proxy over jclouds' in-memory {@code transient} store),
 * bound to 127.0.0.1 on a free port, with one bucket, and the S3A settings to reach it. Start one per
 * test class ({@code @BeforeAll}) and close it after ({@code @AfterAll}). Shared with the end-to-end
 * tests through this module's test jar.
 */
public final class S3ProxyLake implements AutoCloseable {
    private static final String ACCESS_KEY = "sluice-test";
    private static final String SECRET_KEY = "sluice-test-secret";

    private final BlobStoreContext store;
    private final S3Proxy proxy;
    private final String bucket;
    private final Map<String, String> settings;
    private final Configuration conf = new Configuration();

    private S3ProxyLake(BlobStoreContext store, S3Proxy proxy, String bucket) {
        this.store = store;
        this.proxy = proxy;
        this.bucket = bucket;
        this.settings = s3aSettings(proxy.getPort());
        settings.forEach(conf::set);
    }

    /** Starts a server with one new bucket. */
    public static S3ProxyLake start() {
        BlobStoreContext store = ContextBuilder.newBuilder("transient")
                .credentials("identity", "credential")
                .overrides(new Properties())
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(10);
            }
        } catch (Exception e) {
            store.close();
            throw new IllegalStateException("S3Proxy did not start", e);
        }
        // a bucket of its own: S3A caches file systems by bucket, and another class's proxy had another port
        String bucket = "lake-" + UUID.randomUUID().toString().substring(0, 8);
        store.getBlobStore().createContainerInLocation(null, bucket);
        return new S3ProxyLake(store, proxy, bucket);
    }

    /** The settings S3A needs for this server; production lakes take S3A's defaults and the deployment's own settings. */
    private static Map<String, String> s3aSettings(int port) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("fs.s3a.endpoint", "http://127.0.0.1:" + port);
        settings.put("fs.s3a.endpoint.region", "us-east-1");
        settings.put("fs.s3a.path.style.access", "true");
        settings.put("fs.s3a.connection.ssl.enabled", "false");
        settings.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        settings.put("fs.s3a.access.key", ACCESS_KEY);
        settings.put("fs.s3a.secret.key", SECRET_KEY);
        // S3Proxy answers the SDK's bulk DeleteObjects (with its checksum headers) 501; real S3 does not
        settings.put("fs.s3a.multiobjectdelete.enable", "false");
        settings.put("fs.s3a.attempts.maximum", "1");
        settings.put("fs.s3a.retry.limit", "1");
        return settings;
    }

    /** The Hadoop settings that reach this server, credentials included (they are a test server's). */
    public Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    /** The configuration a lake on this server is opened with. */
    Configuration conf() {
        return conf;
    }

    /** {@code s3a://<bucket>/<prefix>}. */
    public String uri(String prefix) {
        return "s3a://" + bucket + "/" + prefix;
    }

    /** Opens a lake under {@code prefix}. */
    public LakeFileSystem open(String prefix) {
        return LakeFileSystem.open(uri(prefix), conf);
    }

    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            store.close();
        }
    }
}
