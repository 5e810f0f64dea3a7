package dev.mcpgateway.auth;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One API key a machine client may present as its bearer token, as the gateway keeps it: by the SHA-256 of the key,
 * never the key itself, so a leaked configuration grants nothing. Make a key and its hash with
 * {@link ApiKeys#generate()} and {@link ApiKeys#sha256Hex(String)}; give the keys to
 * {@link TokenValidators#apiKeys(Collection)}. {@link #toString()} shows the name, never the hash.
 *
 * @param name      what the key is called: the principal's client id, in logs and audit (letters, digits and
 *                  {@code . _ -}, at most 64)
 * @param sha256    the SHA-256 of the key's UTF-8 bytes as 64 hex digits, kept in lower case
 * @param subject   who the key speaks for, the principal's subject (default {@code apikey:<name>})
 * @param scopes    the scopes the key grants (default none)
 * @param expiresAt when the key stops working, or null when it does not expire
 */
public record ApiKey(String name, String sha256, String subject, Set<String> scopes, Instant expiresAt) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ApiKey {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an API key's name is 1 to 64 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit, e.g. ci-deploy; got " + (name == null ? "none" : "'" + name
                    + "'"));
        }
        // Upper-case digits are the same hash; lower case is what sha256sum prints and what the map is keyed by.
        sha256 = sha256 == null ? null : sha256.strip().toLowerCase(Locale.ROOT);
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            // The value is not echoed: someone may have pasted the key itself here.
            throw new IllegalArgumentException("the sha256 of API key '" + name + "' must be 64 hex digits, the "
                    + "SHA-256 of the key (ApiKeys.sha256Hex), got " + (sha256 == null ? "none"
                    : sha256.length() + " characters" + (sha256.startsWith(ApiKeys.PREFIX) ? " that look like the key "
                    + "itself, which must not be stored" : "")));
        }
        subject = subject == null || subject.isBlank() ? "apikey:" + name : subject.strip();
        scopes = OptionChecks.scopes("the scopes of API key '" + name + "'", scopes == null ? Set.of() : scopes);
    }

    /** A key called {@code name} whose key hashes to {@code sha256}, granting nothing yet; see {@link Builder}. */
    public static Builder builder(String name, String sha256) {
        return new Builder(name, sha256);
    }

    /** Whether the key has expired at {@code now}: its expiry is not after it. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** The key without its hash: it ends up in logs. */
    @Override
    public String toString() {
        return "ApiKey[name=" + name + ", subject=" + subject + ", scopes=" + scopes + ", expiresAt=" + expiresAt
                + "]";
    }

    /** Builds an {@link ApiKey}; {@link #build()} validates it. */
    public static final class Builder {
        private final String name;
        private final String sha256;
        private String subject;
        private Set<String> scopes = Set.of();
        private Instant expiresAt;

        private Builder(String name, String sha256) {
            this.name = name;
            this.sha256 = sha256;
        }

        /** Who the key speaks for (default {@code apikey:<name>}). */
        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        /** The scopes the key grants. */
        public Builder scopes(String... scopes) {
            return scopes(Arrays.asList(scopes));
        }

        /** The scopes the key grants. */
        public Builder scopes(Collection<String> scopes) {
            this.scopes = OptionChecks.copy(scopes);
            return this;
        }

        /** When the key stops working (default never). */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /** The key; fails with what to fix if a value is invalid. */
        public ApiKey build() {
            return new ApiKey(name, sha256, subject, scopes, expiresAt);
        }
    }
}
