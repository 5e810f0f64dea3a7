package dev.mcpgateway.persistence;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The settings environment variables give an options builder, each optional: an empty value counts as unset, and a
 * value the builder refuses is reported naming the variable.
 */
final class EnvironmentSettings {
    private final Map<String, String> env;

    EnvironmentSettings(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** Hands the variable's value, stripped, to {@code setter} when it is set. */
    EnvironmentSettings text(String name, Consumer<String> setter) {
        String value = value(name);
        if (value != null) {
            setter.accept(value);
        }
        return this;
    }

    /** Hands the variable's port number to {@code setter} when it is set; fails naming it when it is not a port. */
    EnvironmentSettings port(String name, IntConsumer setter) {
        String value = value(name);
        if (value != null) {
            try {
                setter.accept(Integer.parseInt(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " must be a port number between 1 and 65535, was '" + value
                        + "'", e);
            }
        }
        return this;
    }

    private String value(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
