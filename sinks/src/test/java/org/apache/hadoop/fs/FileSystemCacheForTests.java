package org.apache.hadoop.fs;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;

/**
 * Puts a file system instance into Hadoop's cache, so that code which finds its file system by path (Iceberg's
 * {@code HadoopFileIO} and Hadoop catalog) gets the test's instance: the crash tests count and fail its operations.
 */
public final class FileSystemCacheForTests {
    private FileSystemCacheForTests() {}

    /** From now on {@code uri}'s scheme and authority resolve to {@code fs}. */
    public static void put(URI uri, Configuration conf, FileSystem fs) throws IOException {
        FileSystem.addFileSystemForTesting(uri, conf, fs);
    }

    /** Undoes {@link #put}. */
    public static void remove(URI uri, Configuration conf, FileSystem fs) throws IOException {
        FileSystem.removeFileSystemForTesting(uri, conf, fs);
    }
}
