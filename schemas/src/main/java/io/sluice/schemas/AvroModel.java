package io.sluice.schemas;

import org.apache.avro.Conversions;
import org.apache.avro.generic.GenericData;

/** The Avro data model Sluice reads and writes curated records with: decimals as {@link java.math.BigDecimal}. */
public final class AvroModel {
    /** Generic data with the decimal conversion. */
    public static final GenericData GENERIC = create();

    private AvroModel() {}

    private static GenericData create() {
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new Conversions.DecimalConversion());
        return model;
    }
}
