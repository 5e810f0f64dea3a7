package dev.mcpgateway.internal.transport.http;

import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BiConsumer;

/**
 * The header fields of one upstream request or answer, in the order they were added, names compared without
 * regard to case. Requests to plugins are built here rather than with {@link HttpRequest.Builder}, whose sorted
 * maps, per-field lists and copies were a tenth of what a call through the gateway to an HTTP plugin allocated;
 * the JDK client gets them through {@link #forEach} when it sends the request. A field added for a request is
 * checked as the JDK checks it, so both paths refuse the same fields. Not thread-safe: one exchange builds or reads
 * one.
 */
public final class HeaderFields {
    /**
     * Names the transport keeps to itself (it writes Host and Content-Length, and its framing rules out the rest),
     * refused as the JDK refuses them without its {@code jdk.httpclient.allowRestrictedHeaders}, which the keep-alive
     * pool could not honour.
     */
    private static final List<String> RESTRICTED = List.of("Connection", "Content-Length", "Expect", "Host", "Upgrade");
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
    private static final int INITIAL_FIELDS = 8;

    /** Names at even indexes, each followed by its value: one array for both. */
    private String[] fields;
    private int size;

    /** No fields yet. */
    public HeaderFields() {
        this(new String[2 * INITIAL_FIELDS], 0);
    }

    private HeaderFields(String[] fields, int size) {
        this.fields = fields;
        this.size = size;
    }

    /** The same fields, to add to without changing these: one array copy, no field checked again. */
    public HeaderFields copy() {
        return new HeaderFields(fields.clone(), size);
    }

    /** The fields of an answer the JDK client received. */
    static HeaderFields of(HttpHeaders headers) {
        HeaderFields fields = new HeaderFields();
        headers.map().forEach((name, values) -> values.forEach(value -> fields.received(name, value)));
        return fields;
    }

    /**
     * Adds a request field.
     *
     * @throws IllegalArgumentException when the name is not an RFC 9110 token or is one the transport keeps to itself
     *                                  (Host, Connection, Content-Length, Expect, Upgrade), or the value holds a
     *                                  control character or a character beyond ISO-8859-1; the message never quotes
     *                                  the value, which may be a credential
     */
    public HeaderFields add(String name, String value) {
        if (name.isEmpty() || !isToken(name, 0, name.length())) {
            throw new IllegalArgumentException("'" + name + "' is not a valid header name (an RFC 9110 token)");
        }
        if (isRestricted(name)) {
            throw new IllegalArgumentException("header '" + name + "' is reserved to the HTTP transport (as Host, "
                    + "Connection, Content-Length, Expect and Upgrade are)");
        }
        if (!isValidValue(value)) {
            throw new IllegalArgumentException("the value of header '" + name
                    + "' holds a control character or a character beyond ISO-8859-1");
        }
        append(name, value);
        return this;
    }

    /** Replaces every field of the name with one of this value, checked as {@link #add} checks it. */
    public HeaderFields set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /** Adds a field an answer carried; the reader of the answer checked it. */
    void received(String name, String value) {
        append(name, value);
    }

    /** The first value of the field, or null when it is absent. */
    public String first(String name) {
        for (int i = 0; i < size; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                return fields[i + 1];
            }
        }
        return null;
    }

    /**
     * The position of the first field of the name at or after position {@code from}, or -1: with {@link #value}, how
     * a reader goes through every value of a field without a list of them (answers are read on every call).
     */
    int indexOf(String name, int from) {
        for (int i = 2 * from; i < size; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                return i / 2;
            }
        }
        return -1;
    }

    /** The value of the field at a position {@link #indexOf} gave. */
    String value(int index) {
        return fields[2 * index + 1];
    }

    /** The first value of the field as a decimal number; empty when it is absent or not one. */
    public OptionalLong firstAsLong(String name) {
        String value = first(name);
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Hands every field to {@code field} in order, a repeated name once per value. */
    public void forEach(BiConsumer<String, String> field) {
        for (int i = 0; i < size; i += 2) {
            field.accept(fields[i], fields[i + 1]);
        }
    }

    /** Whether {@code text[from, to)} is an RFC 9110 token (a field name: no blanks, no separators). */
    static boolean isToken(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
                    || TOKEN_SYMBOLS.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isRestricted(String name) {
        for (String restricted : RESTRICTED) {
            if (restricted.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Visible ISO-8859-1 characters, space and tab: what the JDK client lets a request field's value hold. */
    private static boolean isValidValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' && c != '\t' && (c < 0x21 || c == 0x7F || c > 0xFF)) {
                return false;
            }
        }
        return true;
    }

    private void append(String name, String value) {
        if (size == fields.length) {
            fields = Arrays.copyOf(fields, size * 2);
        }
        fields[size++] = name;
        fields[size++] = value;
    }

    private void remove(String name) {
        int kept = 0;
        for (int i = 0; i < size; i += 2) {
            if (!fields[i].equalsIgnoreCase(name)) {
                fields[kept++] = fields[i];
                fields[kept++] = fields[i + 1];
            }
        }
        Arrays.fill(fields, kept, size, null);
        size = kept;
    }
}
