/**
 * Implementation of {@code PluginRegistration}: the management API calls a plugin makes to stay registered, and the
 * backoff between failed ones. Not part of the public API.
 */
package dev.mcpgateway.internal.transport.http.registration;
