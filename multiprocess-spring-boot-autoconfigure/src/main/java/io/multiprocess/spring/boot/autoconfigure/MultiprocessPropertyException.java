package io.multiprocess.spring.boot.autoconfigure;

/**
 * A {@code multiprocess.*} property has a value the library cannot use. Reported at startup by
 * {@link MultiprocessPropertyFailureAnalyzer} with the property, the value, the reason and what to do.
 */
public class MultiprocessPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final transient Object value;
    private final String action;

    public MultiprocessPropertyException(String property, Object value, String reason, String action,
            Throwable cause) {
        super("Invalid value '" + value + "' for " + property + ": " + reason, cause);
        this.property = property;
        this.value = value;
        this.action = action;
    }

    public String getProperty() {
        return property;
    }

    public Object getValue() {
        return value;
    }

    /** What to change. */
    public String getAction() {
        return action;
    }
}
