package dev.mcpgateway.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mcpgateway.ToolCall;
import dev.mcpgateway.jsonrpc.Json;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.pipeline.CallInterceptor;
import dev.mcpgateway.transport.NotSentException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The retry policy's budget: spent on attempts that may have loaded a plugin, not on the gateway's own refusals. */
class RetryInterceptorTest {
    private final RetryBudget budget = new RetryBudget(0);
    private final RetryInterceptor retries = new RetryInterceptor(null, budget, plugin -> true);

    @Test
    void anAttemptRefusedBecauseItsInstanceIsEjectedGoesElsewhereWithAnEmptyBudget() {
        emptyTheBudget();

        CallToolResult result = retries.intercept(chain(new InstanceEjectedException("ejected"),
                new InstanceOverloadedException("full"), null)).join();

        assertEquals("served", result.firstText());
    }

    @Test
    void anAttemptThatWasNotSentSpendsTheBudgetAndFailsWhenItIsEmpty() {
        emptyTheBudget();

        CompletionException failed = assertThrows(CompletionException.class,
                () -> retries.intercept(chain(new NotSentException("connection refused", null), null)).join());

        assertInstanceOf(NotSentException.class, failed.getCause());
    }

    private void emptyTheBudget() {
        while (budget.tryRetry()) {
            // spend the saved-up burst; a ratio of 0 earns no more
        }
    }

    /** A chain whose attempts fail with the given exceptions in turn; a null entry is a success. */
    private static CallInterceptor.Chain chain(Exception... outcomes) {
        Iterator<Exception> next = Arrays.asList(outcomes).iterator();
        return new StubChain(ToolCall.of("calc__add", Json.object()), call -> {
            Exception outcome = next.next();
            return outcome == null ? CompletableFuture.completedFuture(CallToolResult.text("served"))
                    : CompletableFuture.failedFuture(outcome);
        });
    }
}
