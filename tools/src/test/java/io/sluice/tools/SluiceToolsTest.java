package io.sluice.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SluiceToolsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void helpListsEveryCommand() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("demo", "replay", "run", "compact", "validate", "Exit codes");
    }

    @Test
    void everyCommandDescribesItsOptions() {
        for (String command : new String[] {"demo", "replay", "run", "compact", "validate"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).contains("Usage: sluice " + command);
        }
        run("replay", "--help");
        assertThat(out.toString()).contains("--input", "--lake", "--out", "--state-dir");
    }

    @Test
    void helpTextsWrapAtTheUsageWidthNotInTheMiddleOfASentence() {
        for (String command : new String[] {"demo", "replay", "run", "compact", "validate", "bench"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString().lines())
                    .as("sluice %s --help", command)
                    .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        }
        run("bench", "--help");
        String flowing = out.toString().replaceAll("\\s+", " ");
        assertThat(flowing).contains("with your configuration's sources, policy and stages, against bare baselines");
    }

    @Test
    void validateAcceptsAGoodConfiguration() throws IOException {
        Path config = write("""
                kafka: { bootstrap.servers: "broker:9092" }
                sources: [ { name: shop, type: debezium, topics: [shop.public.users] } ]
                pii: { rules: [ { table: users, column: id, action: keep } ] }
                lake: { uri: /tmp/lake }
                """);

        assertThat(run("validate", "--config", config.toString())).isZero();
        assertThat(out.toString()).contains("is valid", "curated.shop.users", "sluice.dlq");
    }

    @Test
    void validateWarnsWhenUnlistedKeepLetsIdentifiersThrough() throws IOException {
        Path config = write("""
                kafka: { bootstrap.servers: "broker:9092" }
                sources: [ { name: mmp, type: mmp, topics: [mmp.appsflyer.events] } ]
                pii:
                  unlisted: keep
                  rules: [ { source: mmp, column: ip, action: drop } ]
                lake: { uri: /tmp/lake }
                """);

        assertThat(run("validate", "--config", config.toString())).isZero();
        assertThat(out.toString())
                .contains("warning: pii.unlisted is keep: mmp.events fields appsflyer_id, customer_user_id")
                .doesNotContain(
                        "customer_user_id, advertising_id, idfa, idfv, android_id, imei, oaid, amazon_aid, ip,");
    }

    @Test
    void badConfigurationExitsWithTwoAndNamesTheKey() throws IOException {
        Path config = write("""
                kafka: { bootstrap.servers: "broker:9092" }
                sources: [ { name: shop, type: debezium, topics: [shop.public.users], formt: json } ]
                lake: { uri: /tmp/lake }
                """);

        assertThat(run("validate", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("sources[0].formt: unknown key");
    }

    @Test
    void validateReadsEveryReference() throws IOException {
        Path jaas = Files.writeString(
                dir.resolve("jaas.conf"), "org.apache.kafka.common.security.plain.PlainLoginModule required;");
        Path token = Files.writeString(dir.resolve("token"), "0123456789abcdef0123456789abcdef\n");
        Path config = write(
                """
                kafka:
                  bootstrap.servers: "broker:9092"
                  sasl.jaas.config: { file: %s }
                schemaRegistry: { url: { file: %s } }
                sources: [ { name: shop, type: debezium, topics: [shop.public.users] } ]
                pii: { rules: [ { table: users, column: id, action: keep } ] }
                lake: { uri: /tmp/lake }
                http: { dimensions: { enabled: true, token: { file: %s } } }
                """.formatted(jaas, Files.writeString(dir.resolve("registry-url"), "http://registry:8081"), token));

        assertThat(run("validate", "--config", config.toString()))
                .as(err.toString())
                .isZero();

        Files.delete(jaas);
        assertThat(run("validate", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("kafka.sasl.jaas.config.file: cannot read " + jaas);

        Files.writeString(token, "short");
        Files.writeString(jaas, "org.apache.kafka.common.security.plain.PlainLoginModule required;");
        assertThat(run("validate", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains("http.dimensions.token: must be at least")
                .doesNotContain("short\n");
    }

    @Test
    void validateRejectsALiteralKafkaPasswordWithoutPrintingIt() throws IOException {
        Path config = write("""
                kafka:
                  bootstrap.servers: "broker:9092"
                  sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required password="hunter2";'
                sources: [ { name: shop, type: debezium, topics: [shop.public.users] } ]
                pii: { rules: [ { table: users, column: id, action: keep } ] }
                lake: { uri: /tmp/lake }
                """);

        assertThat(run("validate", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains("kafka.sasl.jaas.config: is a secret")
                .doesNotContain("hunter2");
        assertThat(out.toString()).doesNotContain("hunter2");
    }

    @Test
    void missingConfigFileAndBadArgumentsExitWithTwo() {
        assertThat(run("validate", "--config", dir.resolve("nope.yaml").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("does not exist");
        assertThat(run("validate")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
        assertThat(run("compact", "--config", "x.yaml", "--hour")).isEqualTo(2);
    }

    @Test
    void demoRefusesToReplaceADirectoryItDidNotMake() throws IOException {
        Files.writeString(dir.resolve("precious.txt"), "keep me");

        assertThat(run("demo", "--work-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--work-dir", "was not made by sluice demo");
        assertThat(dir.resolve("precious.txt")).exists();
    }

    private int run(String... args) {
        CommandLine cli = SluiceTools.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
