// The remote-control protocol shared by the client scripts: one JSON command per stdin line, one JSON reply
// per stdout line. A command is {"op": ..., "id"?: ..., ...}; its reply carries the same "id" and either
// "result" (plus what the op adds: progress, elicitations, raw, wire) or "error": {code, message, data?}.
// Commands run concurrently, so replies may come out of order; the id says which command each answers.
// stdout carries replies only (console.log is sent to stderr); the script exits when stdin ends.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createInterface } from 'node:readline';

// Some SDK code logs with console.log; stdout must stay a clean reply stream.
console.log = (...args) => console.error(...args);

/** The command being served on this async path: what callbacks (elicitation, wire taps) attach to. */
export const current = new AsyncLocalStorage();

/** Every notification the server sent, in arrival order, until the `notifications` op drains them. */
export const notifications = [];

/** The JSON shape of anything thrown: SDK protocol errors keep their numeric code and data. */
export function errorOf(e, depth = 0) {
    if (e === null || typeof e !== 'object') return { code: 'ERROR', message: String(e) };
    const error = { code: e.code ?? e.name ?? 'ERROR', message: e.message ?? String(e) };
    if (e.name && e.name !== 'Error') error.name = e.name;
    // Errors nested in data or cause (e.g. a fetch failure under a negotiation error) would print as {}.
    const plain = value => (value instanceof Error && depth < 3 ? errorOf(value, depth + 1) : value);
    if (e.data !== undefined) {
        error.data = typeof e.data === 'object' && e.data !== null && !Array.isArray(e.data)
            ? Object.fromEntries(Object.entries(e.data).map(([k, v]) => [k, plain(v)])) : e.data;
    }
    if (e.cause !== undefined && e.cause !== e.data?.cause) error.cause = plain(e.cause);
    return error;
}

/**
 * Wraps a connected transport so each command records the JSON-RPC messages it sent and the responses
 * it got (matched by request id), and so each result's raw wire fields are known even where the SDK
 * drops them from the object it returns.
 */
export function tapTransport(transport) {
    const owners = new Map();
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
        const record = current.getStore();
        if (record) {
            record.wire.push({ sent: message });
            if (message.id !== undefined && message.method !== undefined) owners.set(message.id, record);
        }
        return send(message, options);
    };
    const receive = transport.onmessage;
    transport.onmessage = (message, extra) => {
        const record = message.method === undefined ? owners.get(message.id) : current.getStore();
        if (record) {
            record.wire.push({ received: message });
            if (message.method === undefined) owners.delete(message.id);
            if (message.result) record.raw = rawFields(message.result);
        }
        return receive?.(message, extra);
    };
}

function rawFields(result) {
    const raw = {};
    for (const key of ['resultType', 'ttlMs', 'cacheScope', 'requestState', 'nextCursor']) {
        if (result[key] !== undefined) raw[key] = result[key];
    }
    return raw;
}

/**
 * Serves commands from stdin until it ends. `ops` maps op names to async (command, record) => result;
 * `record` collects progress, elicitations and wire messages for the reply. `onEnd` runs before exit.
 */
export function runCommandLoop(ops, onEnd) {
    const write = reply => process.stdout.write(JSON.stringify(reply) + '\n');
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    lines.on('line', line => {
        if (line.trim() === '') return;
        let command;
        try {
            command = JSON.parse(line);
        } catch (e) {
            write({ id: null, error: { code: 'BAD_COMMAND', message: `not JSON: ${e.message}` } });
            return;
        }
        if (command === null || typeof command !== 'object' || Array.isArray(command)) {
            write({ id: null, error: { code: 'BAD_COMMAND', message: `not a JSON object: ${line}` } });
            return;
        }
        const record = { wire: [], progress: [], elicitations: [], sampling: [], roots: 0, raw: undefined };
        const run = current.run(record, async () => {
            const op = ops[command.op];
            if (!op) throw Object.assign(new Error(`unknown op '${command.op}' (known: ${Object.keys(ops).join(', ')})`), { code: 'BAD_COMMAND' });
            return op(command, record);
        });
        run.then(result => {
            const reply = { id: command.id ?? null, result: result ?? {} };
            if (record.raw && Object.keys(record.raw).length) reply.raw = record.raw;
            if (command.progress) reply.progress = record.progress;
            if (record.elicitations.length) reply.elicitations = record.elicitations;
            if (record.sampling.length) reply.sampling = record.sampling;
            if (record.roots) reply.rootsRequests = record.roots;
            if (command.wire) reply.wire = record.wire;
            write(reply);
        }, e => {
            const reply = { id: command.id ?? null, error: errorOf(e) };
            if (command.wire) reply.wire = record.wire;
            if (record.elicitations.length) reply.elicitations = record.elicitations;
            write(reply);
        });
    });
    // End of stdin ends the peer: in-flight commands are abandoned, and a close that hangs is cut short.
    lines.on('close', () => {
        const bounded = new Promise(resolve => setTimeout(resolve, 2000).unref());
        Promise.race([Promise.resolve().then(onEnd), bounded]).finally(() => process.exit(0));
    });
}
