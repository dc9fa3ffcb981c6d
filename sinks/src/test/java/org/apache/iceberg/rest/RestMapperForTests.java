package org.apache.iceberg.rest;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON mapper of Iceberg's REST protocol (package-private in Iceberg), for the tests' in-process REST catalog. */
public final class RestMapperForTests {
    private RestMapperForTests() {}

    /** The mapper Iceberg's REST client reads and writes with. */
    public static ObjectMapper mapper() {
        return RESTObjectMapper.mapper();
    }
}
