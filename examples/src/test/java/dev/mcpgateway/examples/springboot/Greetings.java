package dev.mcpgateway.examples.springboot;

import org.springframework.stereotype.Component;

/** A service of the Spring application itself, which {@link GatewayApplication} offers to MCP clients as a tool. */
@Component
public class Greetings {
    /** Greets {@code name}. */
    public String greet(String name) {
        return "Hello, " + name + ", from Spring!";
    }
}
