package io.sluice.sinks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Opens the lake's Hadoop file system ({@code file://}, {@code s3a://}, {@code hdfs://}, ...).
 *
 * @param fs   the file system
 * @param conf the configuration it was opened with, also used by Parquet writers
 * @param root the lake root
 */
public record LakeFileSystem(FileSystem fs, Configuration conf, Path root) {

    /** Opens the file system of a lake URI; a plain path means a local directory. */
    public static LakeFileSystem open(String lakeUri) {
        return open(lakeUri, new Configuration());
    }

    /** Opens a lake with a given base configuration, which this adjusts (tests share one: loading it is slow). */
    static LakeFileSystem open(String lakeUri, Configuration conf) {
        URI uri = URI.create(lakeUri.contains("://") ? lakeUri : new java.io.File(lakeUri).getAbsoluteFile().toURI().toString());
        // The raw local file system: no .crc side files next to every object in a local lake.
        conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
        conf.setBoolean("fs.file.impl.disable.cache", false);
        try {
            FileSystem fs = FileSystem.get(uri, conf);
            return new LakeFileSystem(fs, conf, fs.makeQualified(new Path(uri)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open lake file system " + uri.getScheme() + "://", e);
        }
    }

    /** The layout of this lake. */
    public LakeLayout layout() {
        return new LakeLayout(root);
    }
}
