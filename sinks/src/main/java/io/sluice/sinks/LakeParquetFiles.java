package io.sluice.sinks;

import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Parquet files opened through the lake's own {@link FileSystem} instance.
 *
 * <p>Parquet's {@code HadoopInputFile/HadoopOutputFile.fromPath} look the file system up again from
 * the path and configuration; these go through the instance the lake was opened with, so that every
 * operation of a compaction pass goes through one file system (and through whatever wraps it: a
 * metering or fault-injecting {@code FilterFileSystem}).
 */
final class LakeParquetFiles {
    /** What Hadoop's own output file uses: the HDFS client's default buffer. */
    private static final int BUFFER_SIZE = 4096;

    private LakeParquetFiles() {}

    /** A new file to write; fails if it exists (staged names are unique per pass). */
    static OutputFile output(FileSystem fs, Path path) {
        return new OutputFile() {
            @Override
            public PositionOutputStream create(long blockSizeHint) throws IOException {
                return open(false, blockSizeHint);
            }

            @Override
            public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
                return open(true, blockSizeHint);
            }

            private PositionOutputStream open(boolean overwrite, long blockSizeHint) throws IOException {
                long blockSize = Math.max(fs.getDefaultBlockSize(path), blockSizeHint);
                return HadoopStreams.wrap(
                        fs.create(path, overwrite, BUFFER_SIZE, fs.getDefaultReplication(path), blockSize));
            }

            @Override
            public boolean supportsBlockSize() {
                return HadoopOutputFile.getBlockFileSystems()
                        .contains(fs.getUri().getScheme());
            }

            @Override
            public long defaultBlockSize() {
                return fs.getDefaultBlockSize(path);
            }

            @Override
            public String getPath() {
                return path.toString();
            }
        };
    }

    /** A file to read, whose length is already known from its listing. */
    static InputFile input(FileSystem fs, FileStatus status) {
        return new InputFile() {
            @Override
            public long getLength() {
                return status.getLen();
            }

            @Override
            public SeekableInputStream newStream() throws IOException {
                return HadoopStreams.wrap(fs.open(status.getPath()));
            }

            @Override
            public String toString() {
                return status.getPath().toString();
            }
        };
    }
}
