package io.multiprocess.reduction;

import java.nio.charset.StandardCharsets;

/** A custom reducer for strings only, to check selection by class name. */
public class CustomReducer implements Reducer {

    @Override
    public String name() {
        return "custom";
    }

    @Override
    public byte[] dumps(Object value) {
        return ((String) value).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object loads(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
}
