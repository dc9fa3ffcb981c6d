package io.sluice.dimensions;

/** The Debezium operation of a dimension change: create, update, delete or snapshot read. */
public enum ChangeOp {
    CREATE("c"),
    UPDATE("u"),
    DELETE("d"),
    READ("r");

    private final String code;

    ChangeOp(String code) {
        this.code = code;
    }

    /** Debezium's one-letter code, as written to the {@code change_op} column. */
    public String code() {
        return code;
    }

    /** Whether the change carries the row's new values (everything but a delete). */
    public boolean upserts() {
        return this != DELETE;
    }

    /** The operation for a Debezium code ({@code c}, {@code u}, {@code d}, {@code r}). */
    public static ChangeOp ofCode(String code) {
        for (ChangeOp op : values()) {
            if (op.code.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown change op '" + code + "'; expected one of c, u, d, r");
    }
}
