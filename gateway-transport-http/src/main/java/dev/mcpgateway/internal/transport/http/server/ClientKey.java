package dev.mcpgateway.internal.transport.http.server;

/**
 * Who an HTTP client is, for the limits counted per client ({@code maxSessionsPerClient}): its address for now.
 * Once clients authenticate, a key naming the principal takes this place, so users behind one address (NAT, a
 * proxy) stop sharing a limit.
 */
@FunctionalInterface
public interface ClientKey {
    /** The client's address, as the server saw the connection. */
    ClientKey ADDRESS = HttpExchangeAdapter::clientAddress;

    /** The key of the client sending this request. */
    String of(HttpExchangeAdapter exchange);
}
