/**
 * A plugin that registers itself with a gateway over the management API when it starts and deregisters when it
 * stops: {@link dev.mcpgateway.examples.selfregistering.SelfRegisteringPlugin}.
 */
package dev.mcpgateway.examples.selfregistering;
