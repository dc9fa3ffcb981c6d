package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.SluiceCommand;
import io.sluice.sinks.LakeFileSystem;
import io.sluice.sinks.S3ProxyLake;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * The crash scenario on an {@code s3a://} lake, an S3-compatible server on loopback (S3Proxy in the
 * test JVM), reached through the configuration's {@code lake.hadoop} settings with the credentials
 * read from files. {@code sluice run} is the application jar itself where the build has made it,
 * so its shading of S3A and the AWS SDK is what is tested.
 */
class S3LakeCrashEndToEndTest extends LakeCrashEndToEnd {
    private S3ProxyLake s3;

    @Override
    String lakeSection() throws IOException {
        s3 = S3ProxyLake.start();
        StringBuilder hadoop = new StringBuilder();
        for (Map.Entry<String, String> setting : s3.settings().entrySet()) {
            String value = "\"" + setting.getValue() + "\"";
            if (setting.getKey().endsWith(".key")) { // credentials only by reference, as in production
                Path secret = Files.writeString(dir.resolve(setting.getKey()), setting.getValue());
                value = "{ file: \"" + secret + "\" }";
            }
            hadoop.append(hadoop.isEmpty() ? "" : ", ")
                    .append('"')
                    .append(setting.getKey())
                    .append("\": ")
                    .append(value);
        }
        return "{ uri: \"%s\", flush: { interval: 1s }, compaction: { grace: 0m, interval: 2s }, hadoop: { %s } }"
                .formatted(s3.uri("lake"), hadoop);
    }

    @Override
    List<String> sluice(List<String> arguments) {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        Path jar = ChaosEndToEnd.applicationJar();
        if (jar != null) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), SluiceCommand.class.getName()));
        }
        command.addAll(arguments);
        return command;
    }

    @Override
    Path localLake() throws IOException {
        Path copy = dir.resolve("lake-copy");
        LakeFileSystem lake = s3.open("lake");
        org.apache.hadoop.fs.Path curated = new org.apache.hadoop.fs.Path(lake.root(), "curated");
        lake.fs()
                .copyToLocalFile(
                        false,
                        curated,
                        new org.apache.hadoop.fs.Path(copy.resolve("curated").toUri()),
                        true);
        try (Stream<Path> files = Files.walk(copy)) {
            assertThat(files.filter(f -> f.toString().endsWith(".parquet")).collect(Collectors.toList()))
                    .as("hourly Parquet on the object store")
                    .isNotEmpty();
        }
        return copy;
    }

    @Override
    @AfterAll // an override is no longer the superclass's lifecycle method
    void stop() throws Exception {
        try {
            super.stop();
        } finally {
            if (s3 != null) {
                s3.close();
            }
        }
    }
}
