/**
 * Plugin processes over stdio (client side) and the gateway served over stdio (server side).
 */
package dev.mcpgateway.transport.stdio;
