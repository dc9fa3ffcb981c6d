package io.sluice.sinks;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A small file of the lake's own bookkeeping, replaced whole: written beside its place, then renamed into it. */
final class LakeMetadataFile {
    private LakeMetadataFile() {}

    /** Replaces {@code target} with {@code content}; a reader finds the old content or the new, or (on a crash between) none. */
    static void replace(FileSystem fs, Path target, byte[] content) throws IOException {
        Path temporary = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        fs.mkdirs(target.getParent());
        try (OutputStream out = fs.create(temporary, true)) {
            out.write(content);
        }
        fs.delete(target, false);
        if (!fs.rename(temporary, target)) {
            throw new IOException("rename to " + target + " failed");
        }
    }
}
