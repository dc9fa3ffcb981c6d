package io.sluice.serdes;

import io.sluice.schemas.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumWriter;

/** Writes dead-letter entries as JSON in the Avro schema {@link DeadLetter}. */
public final class DeadLetterCodec {
    private static final SpecificDatumWriter<DeadLetter> WRITER = new SpecificDatumWriter<>(DeadLetter.class);

    private DeadLetterCodec() {}

    /** The JSON bytes of an entry. */
    public static byte[] encode(DeadLetter entry) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(DeadLetter.getClassSchema(), bytes);
            WRITER.write(entry, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise a dead-letter entry", e);
        }
    }
}
