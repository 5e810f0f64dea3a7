package dev.mcpgateway.internal;

import dev.mcpgateway.ToolCall;
import java.util.function.Consumer;

/**
 * The instance of a tool call's last attempt (the one that answered), learned by listening to where each attempt
 * goes while the listener the call already had still hears of it. What the access log, the metrics and the spans
 * need to name the instance that served a call: pass it to {@link ToolCallPlumbing#onRouted}, read {@link #instance}
 * once the call is over.
 */
public class LastInstance implements Consumer<String> {
    private final Consumer<String> downstream;
    private volatile String instance;

    /** A listener for {@code call}, passing each instance on to the call's own listener, if it has one. */
    public LastInstance(ToolCall call) {
        this.downstream = ToolCallPlumbing.routed(call);
    }

    @Override
    public void accept(String instanceId) {
        instance = instanceId;
        if (downstream != null) {
            downstream.accept(instanceId);
        }
    }

    /** The instance the last attempt went to, or null when the call reached none. */
    public String instance() {
        return instance;
    }
}
