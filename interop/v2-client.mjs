// A remote-controlled MCP client built on the v2 TypeScript client SDK (@modelcontextprotocol/client),
// speaking protocol revision 2026-07-28 ONLY over Streamable HTTP.
//
//   node v2-client.mjs <url>
//
// Commands on stdin, replies on stdout: see README.md. The client is pinned: connect() sends server/discover
// and fails unless the server offers 2026-07-28; it never falls back to initialize, so an endpoint that
// mishandles the modern era fails loudly instead of being quietly served as legacy.
import { Client, ClientCredentialsProvider, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { runCommandLoop, tapTransport } from './lib/command-loop.mjs';
import { answerElicitation, answerRoots, answerSampling, clientOps, recordNotification } from './lib/client-ops.mjs';

export const PROTOCOL_VERSION = '2026-07-28';

// oauth: { clientId, clientSecret, expectedIssuer, scope? } makes the SDK's own auth flow get the token: on a 401 it
// reads the protected-resource metadata, discovers the authorization server and asks it for a client_credentials token.
async function connect(url, headers, oauth) {
    if (!url) throw Object.assign(new Error('no server URL: pass it as the argument or in connect.url'), { code: 'BAD_COMMAND' });
    const client = new Client({ name: 'interop-v2-client', version: '1.0.0' }, {
        capabilities: { elicitation: { form: {} }, sampling: {}, roots: {} },
        // The pin: the modern era at exactly this revision, no probe-and-fallback.
        versionNegotiation: { mode: { pin: PROTOCOL_VERSION } },
        // 2026-07-28 servers ask for input by answering input_required; the SDK's driver answers the embedded
        // requests through the handlers below and retries the call with inputResponses + requestState.
        inputRequired: { autoFulfill: true, maxRounds: 5 }
    });
    client.setRequestHandler('elicitation/create', answerElicitation);
    client.setRequestHandler('sampling/createMessage', answerSampling);
    client.setRequestHandler('roots/list', answerRoots);
    client.fallbackNotificationHandler = async notification => recordNotification(notification);
    const transport = new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers },
        authProvider: oauth ? new ClientCredentialsProvider(oauth) : undefined
    });
    await client.connect(transport);
    tapTransport(transport); // after connect() installed its handlers, so the server/discover probe is not taped
    return client;
}

function info(client) {
    return {
        sdk: '@modelcontextprotocol/client',
        protocolVersion: client.getNegotiatedProtocolVersion(),
        era: client.getProtocolEra(),
        serverInfo: client.getServerVersion(),
        capabilities: client.getServerCapabilities(),
        instructions: client.getInstructions()
    };
}

const sdk = {
    connect,
    info,
    callTool: (client, params, options) => client.callTool(params, options),
    request: (client, request, options) => client.request(request, options)
};

const ops = clientOps(sdk, process.argv[2]);
runCommandLoop(ops, ops.close); // closing stdin closes the client (v1: ends its session)
