package io.sluice.sinks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSDataOutputStreamBuilder;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.FutureDataInputStreamBuilder;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A lake's file system (local, or s3a:// against S3Proxy), counting every operation that reads or changes it (create, open, rename,
 * delete, mkdirs, listStatus, globStatus, getFileStatus, and closing a written file) and failing at
 * the N-th as if the process died there: the N-th operation does not happen, and neither does
 * anything after it, including writes to streams already open. A file whose close was the crash
 * keeps only what had reached the disk before (its last buffered bytes are lost), like a file a
 * dead process was writing.
 */
final class CrashingFileSystem extends FilterFileSystem {
    /** Never crash: count the operations of a clean pass. */
    static final int NEVER = 0;

    private final int crashAt;
    private final List<String> operations = new ArrayList<>();
    // the compactor reads tier-0 objects on a thread of its own while it writes on the caller's
    private volatile boolean crashed;

    private CrashingFileSystem(FileSystem inner, int crashAt) {
        super(inner);
        this.crashAt = crashAt;
    }

    /** A lake in {@code dir} over a file system that crashes at operation {@code crashAt} (1-based). */
    static CrashingLake lake(java.nio.file.Path dir, int crashAt, Configuration conf) {
        CrashingFileSystem fs = new CrashingFileSystem(new RawLocalFileSystem(), crashAt);
        try {
            fs.initialize(URI.create("file:///"), conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CrashingLake(new LakeFileSystem(fs, conf, fs.makeQualified(new Path(dir.toUri()))), fs);
    }

    /** The lake {@code lake}, on any file system (S3A), behind one that crashes at operation {@code crashAt}. */
    static CrashingLake over(LakeFileSystem lake, int crashAt) {
        CrashingFileSystem fs = new CrashingFileSystem(lake.fs(), crashAt);
        fs.setConf(lake.conf());
        return new CrashingLake(new LakeFileSystem(fs, lake.conf(), lake.root()), fs);
    }

    /** A lake whose file system crashes on cue. */
    record CrashingLake(LakeFileSystem lake, CrashingFileSystem fs) {}

    /** The failure of the operation the process died at, and of everything after it. */
    static final class SimulatedCrash extends IOException {
        SimulatedCrash(String message) {
            super(message);
        }
    }

    /**
     * Whether a crash loop crashes at this operation. A crash at a read leaves the lake as the crash at the next write
     * does (a read changes nothing), so by default the loops crash at the writes — create, close, rename, delete,
     * mkdirs — and at the last operation; {@code -Dcrash.every.operation=true} crashes at every one.
     */
    static boolean worthCrashingAt(String operation, boolean last) {
        return last
                || Boolean.getBoolean("crash.every.operation")
                || !(operation.startsWith("open")
                        || operation.startsWith("getFileStatus")
                        || operation.startsWith("listStatus")
                        || operation.startsWith("globStatus"));
    }

    /** The operations attempted so far, numbered from 1, including the one that crashed. */
    synchronized List<String> operations() {
        return List.copyOf(operations);
    }

    boolean crashed() {
        return crashed;
    }

    private synchronized void operation(String name, Path path) throws SimulatedCrash {
        alive();
        operations.add(name + " " + path);
        if (operations.size() == crashAt) {
            crashed = true;
            throw new SimulatedCrash("simulated crash at operation " + crashAt + ": " + name + " " + path);
        }
    }

    private void alive() throws SimulatedCrash {
        if (crashed) {
            throw new SimulatedCrash("the process crashed at operation " + crashAt);
        }
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        operation("open", f);
        return super.open(f, bufferSize);
    }

    @Override
    public FSDataOutputStream create(
            Path f,
            FsPermission permission,
            boolean overwrite,
            int bufferSize,
            short replication,
            long blockSize,
            Progressable progress)
            throws IOException {
        operation("create", f);
        return watched(f, super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream create(
            Path f,
            FsPermission permission,
            EnumSet<CreateFlag> flags,
            int bufferSize,
            short replication,
            long blockSize,
            Progressable progress,
            Options.ChecksumOpt checksumOpt)
            throws IOException {
        operation("create", f);
        return watched(
                f, super.create(f, permission, flags, bufferSize, replication, blockSize, progress, checksumOpt));
    }

    @Override
    public FSDataOutputStream createNonRecursive(
            Path f,
            FsPermission permission,
            EnumSet<CreateFlag> flags,
            int bufferSize,
            short replication,
            long blockSize,
            Progressable progress)
            throws IOException {
        operation("create", f);
        return watched(f, super.createNonRecursive(f, permission, flags, bufferSize, replication, blockSize, progress));
    }

    @Override
    public FSDataOutputStream append(Path f, int bufferSize, Progressable progress) throws IOException {
        operation("append", f);
        return watched(f, super.append(f, bufferSize, progress));
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        operation("rename", src);
        return super.rename(src, dst);
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
        operation("delete", f);
        return super.delete(f, recursive);
    }

    @Override
    public boolean mkdirs(Path f) throws IOException {
        operation("mkdirs", f);
        return super.mkdirs(f);
    }

    @Override
    public boolean mkdirs(Path f, FsPermission permission) throws IOException {
        operation("mkdirs", f);
        return super.mkdirs(f, permission);
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        operation("listStatus", f);
        return super.listStatus(f);
    }

    @Override
    public RemoteIterator<FileStatus> listStatusIterator(Path f) throws IOException {
        operation("listStatus", f);
        return super.listStatusIterator(f);
    }

    @Override
    public RemoteIterator<LocatedFileStatus> listLocatedStatus(Path f) throws IOException {
        operation("listStatus", f);
        return super.listLocatedStatus(f);
    }

    @Override
    public FileStatus[] globStatus(Path pattern) throws IOException {
        operation("globStatus", pattern);
        return super.globStatus(pattern);
    }

    @Override
    public FileStatus[] globStatus(Path pattern, PathFilter filter) throws IOException {
        operation("globStatus", pattern);
        return super.globStatus(pattern, filter);
    }

    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        operation("getFileStatus", f);
        return super.getFileStatus(f);
    }

    @Override
    public boolean truncate(Path f, long newLength) throws IOException {
        operation("truncate", f);
        return super.truncate(f, newLength);
    }

    @Override
    public void concat(Path trg, Path[] psrcs) throws IOException {
        operation("concat", trg);
        super.concat(trg, psrcs);
    }

    // The builders would reach the local file system without passing through the counted methods;
    // failing loudly keeps a future caller from escaping the crash points unnoticed.

    @Override
    public FSDataOutputStreamBuilder createFile(Path path) {
        throw new UnsupportedOperationException("createFile is not fault-injected; use create");
    }

    @Override
    public FSDataOutputStreamBuilder appendFile(Path path) {
        throw new UnsupportedOperationException("appendFile is not fault-injected; use append");
    }

    @Override
    public FutureDataInputStreamBuilder openFile(Path path) {
        throw new UnsupportedOperationException("openFile is not fault-injected; use open");
    }

    /**
     * A written file's stream: dead after the crash, its close an operation. The local stream is
     * buffered, and flushes reach it only at close, so a crash at close loses the buffered tail.
     */
    private FSDataOutputStream watched(Path f, FSDataOutputStream local) throws IOException {
        OutputStream out = new OutputStream() {
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                alive();
                local.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                alive();
                local.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                alive();
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    operation("close", f);
                    closed = true;
                    local.close();
                }
            }
        };
        return new FSDataOutputStream(out, null);
    }
}
