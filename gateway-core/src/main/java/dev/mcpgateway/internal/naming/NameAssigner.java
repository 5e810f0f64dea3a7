package dev.mcpgateway.internal.naming;

import dev.mcpgateway.plugin.ToolKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery every naming strategy shares: sanitizes candidates to {@code [A-Za-z0-9_-]}, shortens those
 * over 64 characters, and resolves collisions until the assignment is injective.
 *
 * <p>Each tool climbs a ladder of forms, and every member of a collision group climbs one rung at once:
 * <ol start="0">
 *   <li>the sanitized candidate itself (skipped when it is longer than 64 characters);</li>
 *   <li>a prefix of it + {@code _} + 8 hex characters of SHA-256 over {@code namespace \0 name} (UTF-8),
 *       at most 64 characters, exactly 64 when the candidate was too long;</li>
 *   <li>the same with 16 hex characters, for the astronomically unlikely second round;</li>
 *   <li>64 hex characters of SHA-256 over an injective encoding of the key. Reached only by keys whose
 *       {@code namespace \0 name} strings coincide (possible when a namespace contains {@code \0}) or by
 *       deliberately collided hashes, it keeps any key set resolvable without a loop bound.</li>
 * </ol>
 * Collision groups are found and moved round by round, all groups of a round together, so the result depends
 * only on the set of keys and never on input or hash-map order. Every round moves at least one tool one rung
 * up a 4-rung ladder, and a round only touches the tools that just moved and those they landed on, so the
 * whole resolution is linear in the number of tools apart from hashing and the final sort.
 */
final class NameAssigner {
    private static final Logger log = LoggerFactory.getLogger(NameAssigner.class);

    static final int MAX_LENGTH = 64;
    private static final int LAST_RUNG = 3;
    private static final HexFormat HEX = HexFormat.of();

    private NameAssigner() {}

    /** Replaces each code point outside {@code [A-Za-z0-9_-]} with {@code _}; returns {@code raw} itself when nothing changes. */
    static String sanitize(String raw) {
        int length = raw.length();
        int i = 0;
        while (i < length && isSafe(raw.charAt(i))) {
            i++;
        }
        if (i == length) {
            return raw;
        }
        StringBuilder safe = new StringBuilder(length).append(raw, 0, i);
        while (i < length) {
            int codePoint = raw.codePointAt(i);
            safe.append(codePoint < 0x80 && isSafe((char) codePoint) ? (char) codePoint : '_');
            i += Character.charCount(codePoint);
        }
        return safe.toString();
    }

    private static boolean isSafe(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /**
     * Turns one candidate per key into an injective assignment of LLM-safe names.
     *
     * @param candidates the preferred (unsanitized) name of each distinct key
     * @return exposed name to key, in no particular order
     */
    static Map<String, ToolKey> resolve(Map<ToolKey, String> candidates) {
        Hasher hasher = new Hasher();
        Map<String, List<Slot>> holders = new HashMap<>(candidates.size() * 4 / 3 + 1);
        List<Slot> moved = new ArrayList<>(candidates.size());
        for (Map.Entry<ToolKey, String> entry : candidates.entrySet()) {
            String base = sanitize(entry.getValue());
            Slot slot = new Slot(entry.getKey(), base, base.length() > MAX_LENGTH ? 1 : 0);
            slot.name = slot.nameOnRung(hasher);
            moved.add(slot);
        }
        place(moved, holders);
        while (!moved.isEmpty()) {
            moved = climbCollisionGroups(moved, holders, hasher);
            place(moved, holders);
        }
        Map<String, ToolKey> assignment = new HashMap<>(holders.size() * 4 / 3 + 1);
        int hashed = 0;
        for (Map.Entry<String, List<Slot>> entry : holders.entrySet()) {
            Slot slot = entry.getValue().get(0);
            assignment.put(entry.getKey(), slot.key);
            if (slot.rung > 0) {
                hashed++;
            }
        }
        if (hashed > 0) {
            log.debug("{} of {} exposed tool names carry a hash suffix (too long or colliding)", hashed, assignment.size());
        }
        return assignment;
    }

    private static void place(List<Slot> slots, Map<String, List<Slot>> holders) {
        for (Slot slot : slots) {
            holders.computeIfAbsent(slot.name, n -> new ArrayList<>(1)).add(slot);
        }
    }

    /**
     * Moves every member of every collision group that the just-moved slots are part of one rung up; returns the
     * slots that moved, already renamed but not yet placed, so all groups of this round climb together.
     */
    private static List<Slot> climbCollisionGroups(List<Slot> justMoved, Map<String, List<Slot>> holders, Hasher hasher) {
        Set<String> colliding = new HashSet<>();
        for (Slot slot : justMoved) {
            if (holders.get(slot.name).size() > 1) {
                colliding.add(slot.name);
            }
        }
        List<Slot> climbing = new ArrayList<>();
        for (String name : colliding) {
            List<Slot> group = holders.remove(name);
            Slot stays = null;
            for (Slot slot : group) {
                if (slot.rung < LAST_RUNG) {
                    slot.rung++;
                    slot.name = slot.nameOnRung(hasher);
                    climbing.add(slot);
                } else if (stays == null) {
                    stays = slot;
                } else {
                    throw new IllegalStateException("SHA-256 collision between tools " + stays.key + " and " + slot.key
                            + "; rename one of them");
                }
            }
            if (stays != null) {
                holders.put(name, new ArrayList<>(List.of(stays)));
            }
        }
        return climbing;
    }

    /** One key's working state while collisions are resolved. */
    private static final class Slot {
        final ToolKey key;
        final String base;
        int rung;
        String name;
        private byte[] identityDigest;

        Slot(ToolKey key, String base, int rung) {
            this.key = key;
            this.base = base;
            this.rung = rung;
        }

        String nameOnRung(Hasher hasher) {
            return switch (rung) {
                case 0 -> base;
                case 1 -> withSuffix(hasher, 8);
                case 2 -> withSuffix(hasher, 16);
                default -> HEX.formatHex(hasher.exactDigest(key));
            };
        }

        private String withSuffix(Hasher hasher, int hexChars) {
            if (identityDigest == null) {
                identityDigest = hasher.identityDigest(key);
            }
            int prefix = Math.min(base.length(), MAX_LENGTH - 1 - hexChars);
            return base.substring(0, prefix) + '_' + HEX.formatHex(identityDigest, 0, hexChars / 2);
        }
    }

    /** SHA-256 over the two encodings of a key's identity; one per resolution, as MessageDigest is not thread-safe. */
    private static final class Hasher {
        private final MessageDigest sha256;

        Hasher() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform must provide SHA-256", e);
            }
        }

        /** The documented, human-reproducible identity: {@code namespace \0 name} in UTF-8. */
        byte[] identityDigest(ToolKey key) {
            sha256.update(key.namespace().getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            return sha256.digest(key.name().getBytes(StandardCharsets.UTF_8));
        }

        /** Injective even for namespaces containing {@code \0} or lone surrogates: length-prefixed UTF-16 code units. */
        byte[] exactDigest(ToolKey key) {
            String namespace = key.namespace();
            String name = key.name();
            ByteBuffer units = ByteBuffer.allocate(Integer.BYTES + 2 * (namespace.length() + name.length()));
            units.putInt(namespace.length());
            namespace.chars().forEach(c -> units.putChar((char) c));
            name.chars().forEach(c -> units.putChar((char) c));
            return sha256.digest(units.array());
        }
    }
}
