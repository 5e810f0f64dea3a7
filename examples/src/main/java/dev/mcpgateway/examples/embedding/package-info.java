/** A host application embedding MCP Gateway: {@link dev.mcpgateway.examples.embedding.EmbeddingExample}. */
package dev.mcpgateway.examples.embedding;
