/**
 * Implementation details shared by the gateway's modules for logging what plugins make it log. Not an API: exported
 * only to the gateway's transport modules.
 */
package dev.mcpgateway.internal.logging;
