package dev.mcpgateway.examples;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageRequest;
import io.modelcontextprotocol.spec.McpSchema.CreateMessageResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.Role;
import io.modelcontextprotocol.spec.McpSchema.SamplingMessage;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tools, for a plugin built with the official MCP Java SDK, that ask their client something while they run; the
 * answer, or the error the request failed with, is in their result, which shows what the plugin received:
 * <ul>
 * <li>{@code ask_name} sends {@code elicitation/create} for a {@code name} and answers
 * {@code Nice to meet you, <name>!}, or {@code You chose to <action>.} when the user declined or cancelled</li>
 * <li>{@code draft_haiku} sends {@code sampling/createMessage} about its {@code topic} and answers
 * {@code <model> wrote: <text>}</li>
 * </ul>
 * When the request fails, the tool returns an error result, {@code isError: true}:
 * {@code <method> failed: <error message>}.
 */
final class RelayingTools {
    /** The message {@code ask_name} shows the user. */
    static final String QUESTION = "What is your name?";
    /** The most tokens {@code draft_haiku} asks the model for. */
    static final int MAX_TOKENS = 60;

    private RelayingTools() {
    }

    /** Both tools. */
    static List<SyncToolSpecification> all(McpJsonMapper json) {
        return List.of(askName(json), draftHaiku(json));
    }

    private static SyncToolSpecification askName(McpJsonMapper json) {
        Tool tool = Tool.builder("ask_name", json, "{\"type\":\"object\"}")
                .description("Asks the user for their name").build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            ElicitResult answer;
            try {
                answer = exchange.createElicitation(ElicitFormRequest.builder(QUESTION, Map.of("type", "object",
                        "properties", Map.of("name", Map.of("type", "string")), "required", List.of("name"))).build());
            } catch (RuntimeException e) {
                return failed("elicitation/create", e);
            }
            String text = answer.action() == ElicitResult.Action.ACCEPT
                    ? "Nice to meet you, " + answer.content().get("name") + "!"
                    : "You chose to " + answer.action().name().toLowerCase(Locale.ROOT) + ".";
            return CallToolResult.builder().addTextContent(text).build();
        }).build();
    }

    private static SyncToolSpecification draftHaiku(McpJsonMapper json) {
        Tool tool = Tool.builder("draft_haiku", json,
                        "{\"type\":\"object\",\"properties\":{\"topic\":{\"type\":\"string\"}},\"required\":[\"topic\"]}")
                .description("Has the client's model write a haiku").build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, request) -> {
            CreateMessageResult answer;
            try {
                answer = exchange.createMessage(CreateMessageRequest.builder(List.of(new SamplingMessage(Role.USER,
                        TextContent.builder("Write a haiku about " + request.arguments().get("topic")).build())),
                        MAX_TOKENS).build());
            } catch (RuntimeException e) {
                return failed("sampling/createMessage", e);
            }
            String text = answer.content() instanceof TextContent content ? content.text() : String.valueOf(answer.content());
            return CallToolResult.builder().addTextContent(answer.model() + " wrote: " + text).build();
        }).build();
    }

    private static CallToolResult failed(String method, RuntimeException e) {
        return CallToolResult.builder().addTextContent(method + " failed: " + e.getMessage()).isError(true).build();
    }
}
