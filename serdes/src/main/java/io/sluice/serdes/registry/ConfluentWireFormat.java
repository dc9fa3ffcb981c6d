package io.sluice.serdes.registry;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/** Confluent's wire format: a zero magic byte, the schema id as a big-endian int, then the Avro binary. */
public final class ConfluentWireFormat {
    /** The only magic byte there is. */
    public static final byte MAGIC = 0;
    /** Bytes before the Avro payload. */
    public static final int HEADER_LENGTH = 5;

    private ConfluentWireFormat() {}

    /** The schema id of a framed record. */
    public static int schemaId(byte[] framed) {
        if (framed.length < HEADER_LENGTH) {
            throw new SerializationException(
                    "record of " + framed.length + " bytes is too short for the Confluent wire format");
        }
        if (framed[0] != MAGIC) {
            throw new SerializationException("unknown magic byte " + framed[0] + ": not in the Confluent wire format");
        }
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }

    /** The header of a record written with a schema id. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC).putInt(schemaId).array();
    }
}
