package dev.mcpgateway.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The members of one JSON object, in insertion order, as the map behind an {@code ObjectNode}. Up to
 * {@value #ARRAY_MEMBERS} members live in one array of names and values, found by a linear scan; a ninth moves them
 * into a {@link LinkedHashMap} for good, so a large object still costs one hash lookup per member.
 *
 * <p>Why: nearly every object in an MCP message (the envelope, {@code params}, {@code arguments}, {@code _meta}, a
 * content item) has one to four members, and a {@code LinkedHashMap} spends a map object, a bucket table and a
 * 40-byte entry per member on them: a tenth of all the bytes a call through the gateway to an HTTP plugin allocated.
 * Here two members cost one small array.
 *
 * <p>Not thread-safe for changes, like the {@code LinkedHashMap} it stands in for; threads may read a fully built
 * object at once (as the gateway's shared capability trees are read by every request), since reading writes nothing
 * but the cached entry-set view, which holds no state of its own. Null names are refused; null values are kept
 * (Jackson never stores one, but the {@link Map} contract allows it).
 */
final class MemberMap extends AbstractMap<String, JsonNode> {
    /** The most members kept in the array; past it, a linear scan costs more than hashing. */
    static final int ARRAY_MEMBERS = 8;
    private static final int FIRST_MEMBERS = 4;

    /** Names at even indexes, each followed by its value; null until the first member. */
    private Object[] slots;
    private int size;
    private int modifications;
    /** Every member once there are more than {@link #ARRAY_MEMBERS}; then {@code slots} is null. */
    private LinkedHashMap<String, JsonNode> large;
    private Set<Entry<String, JsonNode>> entries;

    @Override
    public int size() {
        return large != null ? large.size() : size;
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public boolean containsKey(Object name) {
        return large != null ? large.containsKey(name) : indexOf(name) >= 0;
    }

    @Override
    public JsonNode get(Object name) {
        if (large != null) {
            return large.get(name);
        }
        int at = indexOf(name);
        return at < 0 ? null : (JsonNode) slots[at + 1];
    }

    @Override
    public JsonNode put(String name, JsonNode value) {
        if (large != null) {
            return large.put(Objects.requireNonNull(name, "a JSON member needs a name"), value);
        }
        int at = indexOf(Objects.requireNonNull(name, "a JSON member needs a name"));
        if (at >= 0) {
            JsonNode old = (JsonNode) slots[at + 1];
            slots[at + 1] = value;
            return old;
        }
        modifications++;
        if (size == ARRAY_MEMBERS) {
            large = new LinkedHashMap<>(ARRAY_MEMBERS * 4);
            for (int i = 0; i < 2 * size; i += 2) {
                large.put((String) slots[i], (JsonNode) slots[i + 1]);
            }
            large.put(name, value);
            slots = null;
            size = 0;
            return null;
        }
        if (slots == null) {
            slots = new Object[2 * FIRST_MEMBERS];
        } else if (2 * size == slots.length) {
            Object[] grown = new Object[2 * ARRAY_MEMBERS];
            System.arraycopy(slots, 0, grown, 0, slots.length);
            slots = grown;
        }
        slots[2 * size] = name;
        slots[2 * size + 1] = value;
        size++;
        return null;
    }

    /**
     * Copies {@code members} in. An object copied from one of more than {@value #FIRST_MEMBERS} members (the gateway
     * copies {@code _meta} and result objects to add to them) gets room for {@value #ARRAY_MEMBERS} at once, rather
     * than a first array it outgrows during the copy.
     */
    @Override
    public void putAll(Map<? extends String, ? extends JsonNode> members) {
        if (slots == null && large == null && members.size() > FIRST_MEMBERS && members.size() <= ARRAY_MEMBERS) {
            slots = new Object[2 * ARRAY_MEMBERS];
        }
        super.putAll(members);
    }

    @Override
    public JsonNode remove(Object name) {
        if (large != null) {
            return large.remove(name);
        }
        int at = indexOf(name);
        if (at < 0) {
            return null;
        }
        JsonNode old = (JsonNode) slots[at + 1];
        removeAt(at);
        return old;
    }

    @Override
    public void clear() {
        if (large != null) {
            large.clear();
            return;
        }
        if (size > 0) {
            modifications++;
            Arrays.fill(slots, 0, 2 * size, null);
            size = 0;
        }
    }

    @Override
    public Set<Entry<String, JsonNode>> entrySet() {
        if (large != null) {
            return large.entrySet();
        }
        Set<Entry<String, JsonNode>> view = entries;
        if (view == null) {
            view = new Members();
            entries = view;
        }
        return view;
    }

    /**
     * The slot index of {@code name}, or -1. The tree reader shares the short names it reads, so identity usually
     * decides.
     */
    private int indexOf(Object name) {
        Object[] s = slots;
        int end = 2 * size;
        for (int i = 0; i < end; i += 2) {
            if (s[i] == name) {
                return i;
            }
        }
        if (name != null) {
            for (int i = 0; i < end; i += 2) {
                if (name.equals(s[i])) {
                    return i;
                }
            }
        }
        return -1;
    }

    private void removeAt(int at) {
        modifications++;
        int end = 2 * size;
        System.arraycopy(slots, at + 2, slots, at, end - at - 2);
        slots[end - 2] = null;
        slots[end - 1] = null;
        size--;
    }

    /**
     * The entry view while the members are in the array. Once they moved to the map, {@link #entrySet()} returns
     * the map's own view; an iterator taken before the move fails on its next step, as any after a change would.
     */
    private final class Members extends AbstractSet<Entry<String, JsonNode>> {
        @Override
        public int size() {
            return MemberMap.this.size();
        }

        @Override
        public void clear() {
            MemberMap.this.clear();
        }

        @Override
        public Iterator<Entry<String, JsonNode>> iterator() {
            if (large != null) {
                return large.entrySet().iterator();
            }
            return new Iterator<>() {
                private int next;
                private int last = -1;
                private int expected = modifications;

                @Override
                public boolean hasNext() {
                    return large != null || next < 2 * size; // moved to the map: next() reports the change
                }

                @Override
                public Entry<String, JsonNode> next() {
                    checkUnchanged();
                    if (next >= 2 * size) {
                        throw new NoSuchElementException();
                    }
                    last = next;
                    next += 2;
                    return new Member(last);
                }

                @Override
                public void remove() {
                    if (last < 0) {
                        throw new IllegalStateException("next() first, and remove() once per member");
                    }
                    checkUnchanged();
                    removeAt(last);
                    next = last;
                    last = -1;
                    expected = modifications;
                }

                private void checkUnchanged() {
                    if (modifications != expected || large != null) {
                        throw new ConcurrentModificationException("the JSON object changed during iteration");
                    }
                }
            };
        }
    }

    /**
     * One member, read through to the array; {@link #setValue} writes through. After members were added or removed
     * it finds its member by name; once its member is gone, {@code setValue} refuses rather than add it back.
     */
    private final class Member implements Entry<String, JsonNode> {
        private final String name;
        private final int at;
        private final int expected = modifications;

        Member(int at) {
            this.at = at;
            this.name = (String) slots[at];
        }

        @Override
        public String getKey() {
            return name;
        }

        @Override
        public JsonNode getValue() {
            return current() ? (JsonNode) slots[at + 1] : get(name);
        }

        @Override
        public JsonNode setValue(JsonNode value) {
            if (current()) {
                return swap(value);
            }
            if (!containsKey(name)) {
                throw new IllegalStateException("the member '" + name + "' was removed from the JSON object");
            }
            return put(name, value);
        }

        private JsonNode swap(JsonNode value) {
            JsonNode old = (JsonNode) slots[at + 1];
            slots[at + 1] = value;
            return old;
        }

        /** Whether the member is still at its index: no member was added or removed since it was read. */
        private boolean current() {
            return modifications == expected && large == null;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Entry<?, ?> e && name.equals(e.getKey())
                    && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return name.hashCode() ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return name + "=" + getValue();
        }
    }
}
