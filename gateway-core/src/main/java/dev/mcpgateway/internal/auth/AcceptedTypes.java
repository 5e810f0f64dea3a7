package dev.mcpgateway.internal.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code typ} header values a token may carry. RFC 7515 4.1.9 compares media types ignoring case and lets the
 * {@code application/} prefix be left out, so {@code at+jwt}, {@code AT+JWT} and {@code application/at+jwt} are the
 * same type; nimbus's own verifier compares exactly, hence this one. Thread-safe.
 */
final class AcceptedTypes implements JOSEObjectTypeVerifier<SecurityContext> {
    private static final String PREFIX = "application/";

    private final Set<String> accepted;
    private final boolean required;

    AcceptedTypes(Set<String> accepted, boolean required) {
        this.accepted = accepted.stream().map(AcceptedTypes::normalize).collect(Collectors.toUnmodifiableSet());
        this.required = required;
    }

    @Override
    public void verify(JOSEObjectType type, SecurityContext context) throws BadJOSEException {
        if (type == null ? required : !accepted.contains(normalize(type.getType()))) {
            throw new BadJOSEException("JOSE header typ " + (type == null ? "missing" : "not accepted"));
        }
    }

    private static String normalize(String type) {
        String lower = type.toLowerCase(Locale.ROOT);
        return lower.startsWith(PREFIX) ? lower.substring(PREFIX.length()) : lower;
    }
}
