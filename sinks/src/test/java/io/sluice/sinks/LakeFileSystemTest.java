package io.sluice.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeFileSystemTest {
    @TempDir
    Path dir;

    @Test
    void aLocalLakeWritesNoChecksumFileBesideItsObjects() {
        LakeFixture lake = new LakeFixture(dir);

        new Tier0Writer(lake.lake)
                .write(List.of(
                        CuratedRow.at("2026-11-22T03:00:00Z").offset(0, 1).record()));

        assertThat(lake.lake.fs()).isInstanceOf(RawLocalFileSystem.class);
        assertThat(lake.files("raw")).singleElement().asString().endsWith(".avro");
    }

    @Test
    void leavesHadoopsChecksummedLocalFileSystemToThoseWhoAskForIt() throws Exception {
        // S3A buffers uploads on local disk through FileSystem.getLocal(conf), which must be the checksummed one
        LakeFileSystem lake = LakeFileSystem.open(dir.toString());

        assertThat(FileSystem.getLocal(lake.conf())).isInstanceOf(LocalFileSystem.class);
    }
}
