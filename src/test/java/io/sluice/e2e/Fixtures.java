package io.sluice.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The recorded events and configuration under {@code src/test/resources/replay/}. */
final class Fixtures {

    private Fixtures() {}

    static String resource(String name) throws IOException {
        try (InputStream in = Fixtures.class.getResourceAsStream("/replay/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Path copy(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        Files.writeString(target, resource(name));
        return target;
    }
}
