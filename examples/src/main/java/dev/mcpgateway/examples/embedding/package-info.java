/**
 * Host applications embedding MCP Gateway: {@link dev.mcpgateway.examples.embedding.EmbeddedGateway}, the gateway
 * served over HTTP from a class to copy, and {@link dev.mcpgateway.examples.embedding.EmbeddingExample}, a plugin
 * launched as a child process beside an in-process one. The Spring Boot and servlet-container hosts are in the test
 * sources, where their containers are (docs/EMBEDDING.md).
 */
package dev.mcpgateway.examples.embedding;
