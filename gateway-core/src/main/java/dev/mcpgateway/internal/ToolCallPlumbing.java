package dev.mcpgateway.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mcpgateway.ToolCall;
import java.util.function.Consumer;

/**
 * The parts of a {@link ToolCall} only the gateway itself uses, kept off its public API: a listener told which
 * instance each attempt goes to (the access log, metrics, spans, relaying a plugin's requests), and members of an MCP
 * client's {@code tools/call} params passed to the plugin unchanged. {@code ToolCall} hands this class the way to
 * reach them when it is first loaded (the JDK's "shared secrets" idiom), so no public method exposes them.
 */
public final class ToolCallPlumbing {
    /** How the gateway reaches a call's plumbing; implemented by {@code ToolCall} alone. */
    public interface Access {
        ToolCall onRouted(ToolCall call, Consumer<String> listener);

        Consumer<String> routed(ToolCall call);

        ToolCall withExtra(ToolCall call, ObjectNode members);

        ObjectNode extra(ToolCall call);
    }

    private static volatile Access access;

    private ToolCallPlumbing() {
    }

    /** Called once, by {@code ToolCall}'s static initializer; a call exists only after it ran. */
    public static void install(Access implementation) {
        if (access != null) {
            throw new IllegalStateException("ToolCall's plumbing is installed once, by ToolCall itself");
        }
        access = implementation;
    }

    /** The call reporting which instance each attempt goes to (the last one serves the call). */
    public static ToolCall onRouted(ToolCall call, Consumer<String> listener) {
        return access.onRouted(call, listener);
    }

    /** Who is told which instance each attempt goes to, or null. */
    public static Consumer<String> routed(ToolCall call) {
        return access.routed(call);
    }

    /** The call passing other params members ({@code requestState}, {@code inputResponses}, ...) on unchanged. */
    public static ToolCall withExtra(ToolCall call, ObjectNode members) {
        return access.withExtra(call, members);
    }

    /** The params members passed on unchanged, or null. */
    public static ObjectNode extra(ToolCall call) {
        return access.extra(call);
    }
}
