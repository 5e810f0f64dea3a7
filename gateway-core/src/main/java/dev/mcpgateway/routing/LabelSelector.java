package dev.mcpgateway.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Kubernetes-style filter over a plugin instance's labels, e.g. {@code env=prod, tier in (web, api), !canary}.
 *
 * <p>Requirements are separated by commas and must all hold: {@code key=value} (or {@code key==value}),
 * {@code key!=value} (also true when the key is absent), {@code key in (a, b)}, {@code key notin (a, b)} (also true
 * when absent), {@code key} (the key exists) and {@code !key} (it does not). A value may be empty ({@code key=}).
 * Keys and values are any characters but whitespace and {@code , = ! ( )}. The empty selector matches everything.
 *
 * <p>{@link #toString()} is canonical (requirements sorted by key, set values sorted, single spaces), and two
 * selectors are equal when their canonical forms are.
 */
public final class LabelSelector {

    /** The empty selector: matches every label set. */
    public static final LabelSelector EVERYTHING = new LabelSelector(new Requirement[0]);

    private static final String EXAMPLE = "a valid selector looks like 'env=prod, tier in (web, api), !canary'";
    private static final String SYNTAX_CHARS = ",=!()";

    private final Requirement[] requirements;
    private final String canonical;

    private LabelSelector(Requirement[] requirements) {
        Arrays.sort(requirements, Comparator.comparing(Requirement::key).thenComparing(Requirement::toString));
        this.requirements = requirements;
        this.canonical = Arrays.stream(requirements).map(Requirement::toString).collect(Collectors.joining(","));
    }

    /**
     * Parses a selector; a blank string gives {@link #EVERYTHING}.
     *
     * @throws IllegalArgumentException saying what is wrong and where, with an example of a valid selector
     */
    public static LabelSelector parse(String text) {
        Objects.requireNonNull(text, "label selector");
        Requirement[] requirements = new Parser(text).selector();
        return requirements.length == 0 ? EVERYTHING : new LabelSelector(requirements);
    }

    /**
     * A selector requiring each of the given labels to have exactly the given value.
     *
     * @throws IllegalArgumentException if a key or value cannot be written in selector syntax
     */
    public static LabelSelector of(Map<String, String> labels) {
        Objects.requireNonNull(labels, "labels");
        if (labels.isEmpty()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>(labels.size());
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String key = label.getKey();
            String value = label.getValue();
            if (key == null || key.isEmpty() || !isToken(key)) {
                throw new IllegalArgumentException("label key '" + key + "' cannot be selected on: a key is non-empty "
                        + "and contains no whitespace and none of " + SYNTAX_CHARS);
            }
            if (value == null || !isToken(value)) {
                throw new IllegalArgumentException("label '" + key + "': value '" + value + "' cannot be selected on: "
                        + "a value contains no whitespace and none of " + SYNTAX_CHARS);
            }
            requirements.add(new Requirement(key, Op.EQUALS, Set.of(value)));
        }
        return new LabelSelector(requirements.toArray(new Requirement[0]));
    }

    /**
     * Whether the labels satisfy every requirement. A key mapped to null counts as absent. Does not allocate.
     */
    public boolean matches(Map<String, String> labels) {
        for (Requirement requirement : requirements) {
            if (!requirement.test(labels.get(requirement.key))) {
                return false;
            }
        }
        return true;
    }

    /** Whether this selector has no requirements and so matches every label set. */
    public boolean isEverything() {
        return requirements.length == 0;
    }

    /** The canonical form, e.g. {@code !canary,env=prod,tier in (api,web)}; empty for {@link #EVERYTHING}. */
    @Override
    public String toString() {
        return canonical;
    }

    /** Equal when the canonical forms are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && canonical.equals(other.canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    private static boolean isTokenChar(char c) {
        return !Character.isWhitespace(c) && SYNTAX_CHARS.indexOf(c) < 0;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private enum Op {
        EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST
    }

    /** One requirement on one key; {@code values} is empty for the existence tests. */
    private record Requirement(String key, Op op, Set<String> values) {

        boolean test(String value) {
            return switch (op) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }

        @Override
        public String toString() {
            return switch (op) {
                case EQUALS -> key + "=" + values.iterator().next();
                case NOT_EQUALS -> key + "!=" + values.iterator().next();
                case IN -> key + " in (" + sorted(values) + ")";
                case NOT_IN -> key + " notin (" + sorted(values) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
            };
        }

        private static String sorted(Set<String> values) {
            return values.stream().sorted().collect(Collectors.joining(","));
        }
    }

    /** A hand-written recursive-descent parser: commas inside {@code in (...)} rule out splitting on commas. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Requirement[] selector() {
            List<Requirement> out = new ArrayList<>();
            skipWhitespace();
            if (atEnd()) {
                return new Requirement[0];
            }
            while (true) {
                out.add(requirement());
                skipWhitespace();
                if (atEnd()) {
                    return out.toArray(new Requirement[0]);
                }
                if (peek() != ',') {
                    throw error("expected ',' between requirements");
                }
                pos++;
                skipWhitespace();
                if (atEnd()) {
                    throw error("a requirement must follow ','; remove the trailing comma");
                }
            }
        }

        private Requirement requirement() {
            if (peek() == '!') {
                pos++;
                skipWhitespace();
                String key = token("a label key after '!'");
                skipWhitespace();
                if (!atEnd() && (peek() == '=' || peek() == '!')) {
                    throw error("'!" + key + "' tests that the label is absent and takes no value; "
                            + "write '" + key + "!=value' to exclude a value");
                }
                return new Requirement(key, Op.DOES_NOT_EXIST, Set.of());
            }
            String key = token("a label key");
            skipWhitespace();
            if (atEnd() || peek() == ',') {
                return new Requirement(key, Op.EXISTS, Set.of());
            }
            char c = peek();
            if (c == '=') {
                pos += text.startsWith("==", pos) ? 2 : 1;
                return new Requirement(key, Op.EQUALS, Set.of(value()));
            }
            if (c == '!') {
                if (!text.startsWith("!=", pos)) {
                    throw error("after key '" + key + "' write '!=' to exclude a value");
                }
                pos += 2;
                return new Requirement(key, Op.NOT_EQUALS, Set.of(value()));
            }
            int wordStart = pos;
            String word = isTokenChar(c) ? token("") : "";
            if (word.equals("in") || word.equals("notin")) {
                return new Requirement(key, word.equals("in") ? Op.IN : Op.NOT_IN, valueSet(word));
            }
            pos = wordStart;
            throw error("after key '" + key + "' expected '=', '==', '!=', 'in (...)', 'notin (...)', ',' or the end");
        }

        /** A value after {@code =} or {@code !=}; empty when nothing follows. */
        private String value() {
            skipWhitespace();
            int start = pos;
            while (!atEnd() && isTokenChar(peek())) {
                pos++;
            }
            if (!atEnd() && (peek() == '=' || peek() == '!' || peek() == '(' || peek() == ')')) {
                throw error("a value cannot contain " + SYNTAX_CHARS);
            }
            return text.substring(start, pos);
        }

        private Set<String> valueSet(String operator) {
            skipWhitespace();
            if (atEnd() || peek() != '(') {
                throw error("'" + operator + "' must be followed by values in parentheses, e.g. '"
                        + operator + " (a, b)'");
            }
            pos++;
            List<String> values = new ArrayList<>();
            while (true) {
                skipWhitespace();
                values.add(token("a value inside '" + operator + " (...)'"));
                skipWhitespace();
                if (atEnd()) {
                    throw error("'" + operator + " (' is not closed; add ')'");
                }
                char c = peek();
                pos++;
                if (c == ')') {
                    return Set.copyOf(values);
                }
                if (c != ',') {
                    pos--;
                    throw error("separate the values inside '" + operator + " (...)' with ','");
                }
            }
        }

        private String token(String what) {
            int start = pos;
            while (!atEnd() && isTokenChar(peek())) {
                pos++;
            }
            if (start == pos) {
                throw error("expected " + what);
            }
            return text.substring(start, pos);
        }

        private void skipWhitespace() {
            while (!atEnd() && Character.isWhitespace(peek())) {
                pos++;
            }
        }

        private boolean atEnd() {
            return pos >= text.length();
        }

        private char peek() {
            return text.charAt(pos);
        }

        private IllegalArgumentException error(String problem) {
            String found = atEnd() ? "at the end" : "at position " + pos + " ('" + peek() + "')";
            return new IllegalArgumentException("invalid label selector '" + text + "': " + problem + " " + found
                    + "; " + EXAMPLE);
        }
    }
}
