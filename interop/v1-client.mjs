// A remote-controlled MCP client built on the v1 TypeScript SDK (@modelcontextprotocol/sdk), the legacy era
// (initialize handshake, Mcp-Session-Id, protocol 2025-11-25 down to 2024-11-05) over Streamable HTTP.
//
//   node v1-client.mjs <url>
//
// Same command protocol as v2-client.mjs (see README.md). Elicitation, sampling and roots arrive here as real
// server→client requests, answered with the canned answers.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import {
    CallToolResultSchema, CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, ResultSchema
} from '@modelcontextprotocol/sdk/types.js';
import { runCommandLoop, tapTransport } from './lib/command-loop.mjs';
import { answerElicitation, answerRoots, answerSampling, clientOps, recordNotification } from './lib/client-ops.mjs';

// oauth: { clientId, clientSecret, expectedIssuer, scope? } makes the SDK's own auth flow get the token: on a 401 it
// reads the protected-resource metadata, discovers the authorization server and asks it for a client_credentials token.
async function connect(url, headers, oauth) {
    if (!url) throw Object.assign(new Error('no server URL: pass it as the argument or in connect.url'), { code: 'BAD_COMMAND' });
    const client = new Client({ name: 'interop-v1-client', version: '1.0.0' }, {
        capabilities: { elicitation: { form: {} }, sampling: {}, roots: {} }
    });
    client.setRequestHandler(ElicitRequestSchema, answerElicitation);
    client.setRequestHandler(CreateMessageRequestSchema, answerSampling);
    client.setRequestHandler(ListRootsRequestSchema, answerRoots);
    client.fallbackNotificationHandler = async notification => recordNotification(notification);
    const transport = new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers },
        authProvider: oauth ? new ClientCredentialsProvider(oauth) : undefined
    });
    await client.connect(transport);
    tapTransport(transport); // after connect() installed its handlers, so the initialize exchange is not taped
    return client;
}

function info(client) {
    return {
        sdk: '@modelcontextprotocol/sdk',
        protocolVersion: client.transport?.protocolVersion,
        era: 'legacy',
        sessionId: client.transport?.sessionId,
        serverInfo: client.getServerVersion(),
        capabilities: client.getServerCapabilities(),
        instructions: client.getInstructions()
    };
}

const sdk = {
    connect,
    info,
    // v1 takes the result schema before the options.
    callTool: (client, params, options) => client.callTool(params, CallToolResultSchema, options),
    request: (client, request, options) => client.request(request, ResultSchema.passthrough(), options)
};

const ops = clientOps(sdk, process.argv[2]);
runCommandLoop(ops, ops.close); // closing stdin closes the client (v1: ends its session)
