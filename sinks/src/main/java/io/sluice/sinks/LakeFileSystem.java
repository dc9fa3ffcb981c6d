package io.sluice.sinks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * Opens the lake's Hadoop file system ({@code file://}, {@code s3a://}, {@code hdfs://}, ...).
 *
 * @param fs   the file system
 * @param conf the configuration it was opened with, also used by Parquet writers
 * @param root the lake root
 */
public record LakeFileSystem(FileSystem fs, Configuration conf, Path root) {
    /**
     * Object stores whose Hadoop connectors emulate a directory rename by copying and deleting each
     * object: not atomic. Hadoop declares no path capability for atomic rename, so this goes by scheme.
     */
    private static final Set<String> OBJECT_STORE_SCHEMES =
            Set.of("s3a", "s3", "s3n", "gs", "oss", "cosn", "obs", "wasb", "wasbs");

    /** Opens the file system of a lake URI; a plain path means a local directory. */
    public static LakeFileSystem open(String lakeUri) {
        return open(lakeUri, java.util.Map.of());
    }

    /**
     * Opens a lake with Hadoop settings on top of Hadoop's defaults: an S3 endpoint, path-style
     * access, credentials, buffer and temporary directories (a pod's root file system is read-only).
     */
    public static LakeFileSystem open(String lakeUri, java.util.Map<String, String> hadoopSettings) {
        Configuration conf = new Configuration();
        // Hadoop otherwise closes every file system in a JVM shutdown hook of its own, racing the
        // application's: the lake sink's last flush and a running compaction pass would fail on a
        // closed S3A client. The application closes what it uses, in order.
        conf.setBoolean("fs.automatic.close", false);
        hadoopSettings.forEach(conf::set);
        return open(lakeUri, conf);
    }

    /** Opens a lake with a given configuration (tests share one: loading it is slow). */
    static LakeFileSystem open(String lakeUri, Configuration conf) {
        URI uri = URI.create(
                lakeUri.contains("://")
                        ? lakeUri
                        : new java.io.File(lakeUri).getAbsoluteFile().toURI().toString());
        try {
            FileSystem fs;
            if ("file".equals(uri.getScheme())) {
                // The raw local file system, so that a local lake has no .crc file beside every
                // object: an instance of its own rather than fs.file.impl overridden in the
                // configuration, which would also hand Hadoop's own users of the checksummed local
                // file system a raw one (S3A's upload buffers then fail with a ClassCastException).
                fs = new RawLocalFileSystem();
                fs.initialize(URI.create("file:///"), conf);
            } else {
                fs = FileSystem.get(uri, conf);
            }
            return new LakeFileSystem(fs, conf, fs.makeQualified(new Path(uri)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open lake file system " + uri.getScheme() + "://", e);
        }
    }

    /**
     * Whether renaming a directory is one atomic step (local and HDFS file systems), rather than a copy
     * and delete per object (S3A and other object stores), which the compactor publishes file by file.
     */
    public boolean hasAtomicDirectoryRename() {
        String scheme = fs.getUri().getScheme();
        return scheme == null || !OBJECT_STORE_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
    }

    /** The layout of this lake. */
    public LakeLayout layout() {
        return new LakeLayout(root);
    }
}
