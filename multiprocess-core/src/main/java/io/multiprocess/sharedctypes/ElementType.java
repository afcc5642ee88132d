package io.multiprocess.sharedctypes;

/** The primitive types a shared value or array can hold, with Python's type codes and their size in memory. */
enum ElementType {
    INT(int.class, "i", 4),
    LONG(long.class, "q", 8),
    SHORT(short.class, "h", 2),
    BYTE(byte.class, "b", 1),
    CHAR(char.class, "u", 2),
    FLOAT(float.class, "f", 4),
    DOUBLE(double.class, "d", 8),
    BOOLEAN(boolean.class, "?", 1);

    final Class<?> primitive;
    final String code;
    final int size;

    ElementType(Class<?> primitive, String code, int size) {
        this.primitive = primitive;
        this.code = code;
        this.size = size;
    }

    static ElementType ofCode(String code) {
        for (ElementType type : values()) {
            if (type.code.equals(code)) {
                return type;
            }
        }
        throw new IllegalArgumentException("no shared value type has the code '" + code + "'");
    }
}
