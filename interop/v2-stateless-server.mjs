// A stateless MCP server of protocol revision 2026-07-28, written with the v2 TypeScript server SDK, on
// 127.0.0.1 over Streamable HTTP at /mcp. The gateway's tests use it as an independent upstream plugin.
//
//   node v2-stateless-server.mjs [port] [--legacy]
//
// Port 0 (the default) takes a free port; the first stdout line is {"port":N}. Nothing else goes to stdout.
// Without --legacy the endpoint is modern-only: a 2025-era request (initialize, no _meta envelope) gets the
// SDK's unsupported-protocol-version error, so a gateway that fails to detect the era shows. With --legacy
// the SDK's stateless 2025 fallback serves the same tools to legacy clients too.
import { createServer } from 'node:http';
import { McpServer, ResourceTemplate, createMcpHandler, fromJsonSchema, inputRequired, acceptedContent }
    from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod';

const args = process.argv.slice(2);
const port = Number(args.find(a => /^\d+$/.test(a)) ?? 0);
const legacy = args.includes('--legacy') ? 'stateless' : 'reject';

// Cache hints of 2026-07-28 (ttlMs/cacheScope); the SDK stamps them on the cacheable results it builds.
const cacheHints = {
    'tools/list': { ttlMs: 60000, cacheScope: 'public' },
    'prompts/list': { ttlMs: 60000, cacheScope: 'public' },
    'resources/list': { ttlMs: 30000, cacheScope: 'public' },
    'resources/templates/list': { ttlMs: 30000, cacheScope: 'public' }
};

const text = value => ({ content: [{ type: 'text', text: value }] });

// The SDK builds a fresh server per HTTP request (stateless serving), so everything lives in this factory.
function buildServer() {
    const server = new McpServer({ name: 'v2-stateless-server', version: '1.0.0' }, { cacheHints });

    server.registerTool('echo', {
        description: 'Returns its text',
        inputSchema: z.object({ text: z.string() })
    }, async ({ text: value }) => text(value));

    server.registerTool('count', {
        description: 'Sends n progress notifications (when the call has a progressToken), then returns n',
        inputSchema: z.object({ n: z.number().int().min(0).max(1000) })
    }, async ({ n }, ctx) => {
        const progressToken = ctx.mcpReq._meta?.progressToken;
        for (let i = 1; i <= n && progressToken !== undefined; i++) {
            // A related notification upgrades this request's response to an SSE stream.
            await ctx.mcpReq.notify({
                method: 'notifications/progress',
                params: { progressToken, progress: i, total: n, message: `step ${i}` }
            });
        }
        return text(`counted to ${n}`);
    });

    // Multi-round-trip (MRTR): the first call answers input_required with an embedded elicitation; the
    // client retries the same call with inputResponses, which the SDK lifts into ctx.mcpReq.inputResponses.
    server.registerTool('ask_name', {
        description: 'Asks the user for a name (input_required + elicitation), then greets them'
    }, async ctx => {
        const answer = acceptedContent(ctx.mcpReq.inputResponses, 'name');
        if (typeof answer?.name !== 'string') {
            return inputRequired({
                inputRequests: {
                    name: inputRequired.elicit({
                        message: 'What is your name?',
                        requestedSchema: {
                            type: 'object',
                            properties: { name: { type: 'string', title: 'Name' } },
                            required: ['name']
                        }
                    })
                },
                requestState: 'asked-name'
            });
        }
        return text(`Hello, ${answer.name}`);
    });

    // SEP-2243: `region` is mirrored in the Mcp-Param-Region header. The SDK's HTTP entry checks the header
    // against the body before dispatch (400 / -32020 when it is missing or differs), so the tool need not.
    server.registerTool('region_query', {
        description: 'Answers a query in a region; the region travels in the Mcp-Param-Region header too',
        inputSchema: fromJsonSchema({
            type: 'object',
            properties: {
                region: { type: 'string', 'x-mcp-header': 'Region' },
                query: { type: 'string' }
            },
            required: ['region', 'query']
        })
    }, async ({ region, query }) => text(`${region}: ${query}`));

    server.registerPrompt('greeting', {
        description: 'A greeting for someone',
        argsSchema: z.object({ name: z.string() })
    }, ({ name }) => ({
        messages: [{ role: 'user', content: { type: 'text', text: `Please greet ${name}.` } }]
    }));

    server.registerResource('readme', 'memo://readme', {
        mimeType: 'text/plain', description: 'A fixed text', cacheHint: { ttlMs: 5000, cacheScope: 'public' }
    }, async uri => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'interop readme' }] }));

    server.registerResource('note', new ResourceTemplate('memo://notes/{id}', { list: undefined }), {
        mimeType: 'text/plain', description: 'A note by id', cacheHint: { ttlMs: 1000, cacheScope: 'private' }
    }, async (uri, { id }) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: `note ${id}` }] }));

    return server;
}

const handler = createMcpHandler(buildServer, { legacy, onerror: error => console.error('mcp:', error) });
const serve = toNodeHandler(handler);

const http = createServer((req, res) => {
    if (new URL(req.url, 'http://127.0.0.1').pathname !== '/mcp') {
        res.writeHead(404).end();
        return;
    }
    serve(req, res);
});
http.listen(port, '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ port: http.address().port }) + '\n');
});

// The parent ends us by closing stdin (or by a signal); either way stop serving and exit.
const stop = () => { handler.close().finally(() => process.exit(0)); };
process.stdin.on('end', stop).resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
