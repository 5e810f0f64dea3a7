// The stdio server's own ceiling, for ./run's "direct" cell of the stdio row: no gateway and no HTTP, a lean client
// that starts server-everything over stdio (as every gateway in the row does), opens its session, and keeps
// CONNECTIONS `tools/call` echo requests in flight on its stdin, as wrk keeps that many HTTP requests in flight on
// the gateways. Like wrk, it does not parse answers: an answer counts as good when its line carries EXPECT.
// After WARMUP_SECONDS it prints one RESULT line per round of SECONDS_PER_ROUND, in call.lua's format, then ends
// the server.
//
//   node stdio-direct.cjs <server-everything's dist/index.js>
//   env: CONNECTIONS (8), WARMUP_SECONDS (10), ROUNDS (3), SECONDS_PER_ROUND (6), EXPECT ('Echo: bench'),
//        MCP_PROTOCOL_VERSION (2025-06-18)
'use strict';
const { spawn } = require('node:child_process');

const server = process.argv[2];
if (!server) {
    console.error('usage: node stdio-direct.cjs <path of server-everything dist/index.js>');
    process.exit(2);
}
const connections = Number(process.env.CONNECTIONS || 8);
const warmupMs = Number(process.env.WARMUP_SECONDS || 10) * 1000;
const rounds = Number(process.env.ROUNDS || 3);
const roundMs = Number(process.env.SECONDS_PER_ROUND || 6) * 1000;
const expect = process.env.EXPECT || 'Echo: bench';
const version = process.env.MCP_PROTOCOL_VERSION || '2025-06-18';

const child = spawn(process.execPath, [server, 'stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
child.on('exit', (code, signal) => {
    if (!finished) {
        console.error(`server-everything ended before the measurement did (exit ${code}, signal ${signal})`);
        process.exit(1);
    }
});
const send = message => child.stdin.write(JSON.stringify(message) + '\n');

let finished = false;
let nextId = 1;
const started = new Map(); // id -> hrtime (ns) the request was written
let start = 0n; // when the warm-up began
let round = { good: 0, bad: 0, latenciesUs: [] };

function call() {
    const id = nextId++;
    started.set(id, process.hrtime.bigint());
    send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { message: 'bench' } } });
}

function answered(line) {
    const match = /"id":(\d+)/.exec(line);
    const id = match && Number(match[1]);
    if (id === 0) { // initialize's answer: the session is open
        send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        start = process.hrtime.bigint();
        for (let i = 0; i < connections; i++) call();
        return;
    }
    const sent = started.get(id);
    if (sent === undefined) return; // a notification, or a request of the server's: not an answer of ours
    started.delete(id);
    const now = process.hrtime.bigint();
    const elapsedMs = Number(now - start) / 1e6;
    if (elapsedMs >= warmupMs) {
        if (line.includes(expect)) {
            round.good++;
            round.latenciesUs.push(Number(now - sent) / 1e3);
        } else {
            round.bad++;
        }
        if (elapsedMs >= warmupMs + roundMs * (roundsDone + 1)) {
            report();
            if (roundsDone === rounds) {
                finished = true;
                child.kill();
                return;
            }
        }
    }
    call();
}

let roundsDone = 0;
function report() {
    const lat = round.latenciesUs.sort((a, b) => a - b);
    const at = p => Math.round(lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * p))] : 0);
    const done = round.good + round.bad;
    console.log(`RESULT requests=${done} duration_us=${roundMs * 1000} p50_us=${at(0.5)} p99_us=${at(0.99)} `
        + `good=${round.good} bad=${round.bad} socket_errors=0`);
    roundsDone++;
    round = { good: 0, bad: 0, latenciesUs: [] };
}

let pending = Buffer.alloc(0);
child.stdout.on('data', chunk => {
    let data = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let from = 0;
    let newline;
    while ((newline = data.indexOf(10, from)) >= 0) {
        answered(data.toString('utf8', from, newline));
        if (finished) return;
        from = newline + 1;
    }
    pending = data.subarray(from);
});

send({ jsonrpc: '2.0', id: 0, method: 'initialize', params: {
    protocolVersion: version, capabilities: {}, clientInfo: { name: 'peers-bench', version: '1' } } });
