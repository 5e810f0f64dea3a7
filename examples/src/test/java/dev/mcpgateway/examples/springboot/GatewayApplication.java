package dev.mcpgateway.examples.springboot;

import dev.mcpgateway.McpGateway;
import dev.mcpgateway.inprocess.InProcessPlugin;
import dev.mcpgateway.mcp.CallToolResult;
import dev.mcpgateway.server.McpServer;
import dev.mcpgateway.transport.http.server.McpServlet;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot 4 application embedding MCP Gateway in its embedded Tomcat: the gateway and its MCP server are beans
 * (Spring closes them on shutdown, after Tomcat has stopped), every {@link InProcessPlugin} bean is registered with
 * the gateway, one of them offering a Spring {@link Greetings} service as a tool, and {@link McpServlet} is mounted at
 * {@code /mcp/*}: the MCP endpoint at {@code /mcp}, the gateway's own routes below it ({@code /mcp/healthz},
 * {@code /mcp/readyz}, {@code /mcp/api/v1}). It lives in the test sources because the examples module is a JPMS
 * module whose dependencies go into the runner's jar, neither of which Spring should join (docs/EMBEDDING.md).
 */
@SpringBootApplication(proxyBeanMethods = false)
public class GatewayApplication {
    /**
     * Runs the application until it is shut down.
     *
     * @param args Spring Boot's arguments, e.g. {@code --server.port=8080}
     */
    public static void main(String[] args) {
        start(args);
    }

    /** Starts the application; closing the context returned stops Tomcat, then the MCP server, then the gateway. */
    public static ConfigurableApplicationContext start(String... args) {
        SpringApplication application = new SpringApplication(GatewayApplication.class);
        // McpServlet writes with blocking I/O, so an open event stream holds a container thread for its lifetime:
        // virtual threads make that cheap. The gateway serves loopback only until the host adds authentication.
        application.setDefaultProperties(Map.of("spring.threads.virtual.enabled", "true",
                "server.address", "127.0.0.1"));
        return application.run(args);
    }

    /** The gateway, with every in-process plugin of the application registered; Spring calls its close(). */
    @Bean
    McpGateway mcpGateway(List<InProcessPlugin> plugins) {
        McpGateway gateway = McpGateway.builder().build();
        try {
            plugins.forEach(plugin -> gateway.registerInProcess(plugin).join());
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    /** The MCP server clients talk to, over the gateway; Spring closes it before the gateway, which it depends on. */
    @Bean
    McpServer mcpServer(McpGateway gateway) {
        return McpServer.create(gateway);
    }

    /** The MCP endpoint and the gateway's routes in Spring Boot's Tomcat. */
    @Bean
    ServletRegistrationBean<McpServlet> mcpServlet(McpServer server) {
        return new ServletRegistrationBean<>(new McpServlet(server), "/mcp/*");
    }

    /** A tool backed by a Spring bean: {@code greeter__hello}. */
    @Bean
    InProcessPlugin greeter(Greetings greetings) {
        return InProcessPlugin.builder("greeter")
                .tool("hello", "Greets someone by name", (arguments, context) ->
                        CallToolResult.text(greetings.greet(arguments.path("name").asText("world"))))
                .build();
    }
}
