package dev.mcpgateway.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** The checks the token validators' options share, each failing with what to fix. */
final class OptionChecks {
    private OptionChecks() {
    }

    /**
     * A builder's copy of a collection of settings: a LinkedHashSet, not {@code Set.copyOf}, so that nulls and blanks
     * reach the record's checks, which say what is wrong.
     */
    static Set<String> copy(Collection<String> values) {
        return values == null ? null : new LinkedHashSet<>(values);
    }

    /** The values as an immutable set; fails on null or blank ones. */
    static Set<String> nonBlankSet(String name, Collection<String> values) {
        Objects.requireNonNull(values, name);
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not hold blank values, got " + values);
            }
        }
        return Set.copyOf(values);
    }

    /** The audiences that mean this gateway as an immutable set: at least one, none blank. */
    static Set<String> audiences(Collection<String> audiences) {
        Set<String> checked = nonBlankSet("audiences", audiences);
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("audiences: at least one aud value that names this gateway, e.g. its"
                    + " resource URI https://gateway.example.com/mcp; a token issued for another service must not work"
                    + " here");
        }
        return checked;
    }

    /** Scopes as an immutable set: non-blank, one per entry. */
    static Set<String> scopes(String name, Collection<String> scopes) {
        Set<String> checked = nonBlankSet(name, scopes);
        checked.stream().filter(scope -> scope.contains(" ")).findFirst().ifPresent(scope -> {
            throw new IllegalArgumentException(name + ": one scope per entry, got '" + scope + "'");
        });
        return checked;
    }

    /** Fails unless {@code value} is a non-blank string. */
    static void nonBlank(String name, String value, String example) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + ": " + example);
        }
    }

    /** Fails unless {@code uri} is an absolute http or https URI with a host. */
    static void httpUri(String name, URI uri, String example) {
        Objects.requireNonNull(uri, () -> name + ": " + example);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an absolute http or https URI, e.g. " + example
                    + ", got " + uri);
        }
    }

    /** Fails unless {@code resource} is null or an absolute URI without a fragment (RFC 8707 section 2). */
    static void resource(String resource) {
        if (resource == null) {
            return;
        }
        URI uri;
        try {
            uri = new URI(resource);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !uri.isAbsolute() || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("resource must be an absolute URI without a fragment (RFC 8707), e.g."
                    + " https://files.example.com/mcp, got '" + resource + "'");
        }
    }

    /** Fails when an optional value is given but blank. */
    static void blankIfSet(String name, String value) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank; leave it out instead");
        }
    }

    /** Fails unless {@code min <= value <= max}. */
    static void range(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + describe(min) + " and " + describe(max)
                    + ", got " + describe(value));
        }
    }

    /** Fails unless {@code min <= value}. */
    static void atLeast(String name, int value, int min, String why) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + " (" + why + "), got " + value);
        }
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
