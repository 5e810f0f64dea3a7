// The ops both client scripts serve, over whichever SDK client the script connects. See README.md for the
// command protocol. The SDK-specific parts (how to connect, how callTool is called) come in `sdk`.
import { current, notifications } from './command-loop.mjs';

/** What the client answers to the server's requests for input, set by the set* ops. */
const canned = {
    elicitation: { action: 'decline' },
    sampling: { role: 'assistant', model: 'canned-model', content: { type: 'text', text: 'canned sample' } },
    roots: []
};

/** Answers an elicitation/create request (legacy: a server→client request; 2026: an inputRequest). */
export function answerElicitation(request) {
    current.getStore()?.elicitations.push(request.params);
    return structuredClone(canned.elicitation);
}

/** Answers a sampling/createMessage request with the canned sample. */
export function answerSampling(request) {
    current.getStore()?.sampling.push(request.params);
    return structuredClone(canned.sampling);
}

/** Answers roots/list with the canned roots. */
export function answerRoots() {
    const record = current.getStore();
    if (record) record.roots++;
    return { roots: structuredClone(canned.roots) };
}

/** Records a notification from the server; progress is also kept by the call it belongs to (onprogress). */
export function recordNotification(notification) {
    notifications.push({ method: notification.method, params: notification.params });
}

/**
 * The ops table for runCommandLoop.
 * sdk: { connect(url, headers, oauth?) → client, callTool(client, params, options), request(client, request, options),
 *        info(client) → object }
 */
export function clientOps(sdk, defaultUrl) {
    // One connection, made by the connect op or else by the first op that needs it; concurrent ops share it.
    let client;
    const connected = () => client ?? (client = sdk.connect(defaultUrl, {}));
    const options = (command, record) => ({
        timeout: command.timeoutMs ?? 30000,
        // Lists and reads are served from the v2 client's response cache when fresh; tests want the wire.
        cacheMode: command.cacheMode ?? 'refresh',
        ...(command.progress ? { onprogress: p => record.progress.push(p), resetTimeoutOnProgress: true } : {})
    });
    const page = command => (command.cursor !== undefined ? { cursor: command.cursor } : undefined);
    return {
        async connect(command) {
            // A failed connect may be retried (e.g. with other headers); a live one may not be replaced.
            if (client && await client.then(() => true, () => false)) {
                throw Object.assign(new Error('already connected'), { code: 'BAD_COMMAND' });
            }
            client = sdk.connect(command.url ?? defaultUrl, command.headers ?? {}, command.oauth);
            return sdk.info(await client);
        },
        info: async () => sdk.info(await connected()),
        listTools: async (c, r) => (await connected()).listTools(page(c), options(c, r)),
        listPrompts: async (c, r) => (await connected()).listPrompts(page(c), options(c, r)),
        listResources: async (c, r) => (await connected()).listResources(page(c), options(c, r)),
        listResourceTemplates: async (c, r) => (await connected()).listResourceTemplates(page(c), options(c, r)),
        readResource: async (c, r) => (await connected()).readResource({ uri: c.uri }, options(c, r)),
        getPrompt: async (c, r) =>
            (await connected()).getPrompt({ name: c.name, arguments: c.arguments ?? {} }, options(c, r)),
        callTool: async (c, r) =>
            sdk.callTool(await connected(), { name: c.name, arguments: c.arguments ?? {} }, options(c, r)),
        complete: async (c, r) =>
            (await connected()).complete({ ref: c.ref, argument: c.argument, context: c.context }, options(c, r)),
        // Any spec method the SDK knows, e.g. ping (legacy), server/discover (2026), logging/setLevel.
        request: async (c, r) => sdk.request(await connected(), { method: c.method, params: c.params ?? {} }, options(c, r)),
        async setElicitationAnswer(c) {
            canned.elicitation = c.answer;
            return {};
        },
        async setSamplingAnswer(c) {
            canned.sampling = c.answer;
            return {};
        },
        async setRoots(c) {
            canned.roots = c.roots;
            return {};
        },
        notifications: async () => ({ notifications: notifications.splice(0) }),
        async close() {
            const closing = client;
            client = undefined;
            await (await closing?.catch(() => undefined))?.close();
            return {};
        }
    };
}
