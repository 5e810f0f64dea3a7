// The stdio server's own ceiling, for ./run's "direct" cell of the stdio row: no gateway and no HTTP, a lean client
// that starts server-everything over stdio (as every gateway in the row does), opens its session, and keeps
// CONNECTIONS `tools/call` echo requests in flight on its stdin, as wrk keeps that many HTTP requests in flight on
// the gateways. Like wrk, it does not parse answers: an answer counts as good when its line carries EXPECT.
// After WARMUP_SECONDS it prints one RESULT line per round of SECONDS_PER_ROUND, in call.lua's format, then
// `CPU_US <server> <client>`: the CPU time each process used over the rounds per good answer, in µs; then it ends
// the server. It gives up (exit 1) if the server ends early, answers nothing in a whole round, or does not answer
// `initialize` and finish the rounds within a minute of when they should have ended.
//
//   node stdio-direct.cjs <server-everything's dist/index.js>
//   env: CONNECTIONS (8), WARMUP_SECONDS (10), ROUNDS (3), SECONDS_PER_ROUND (6), EXPECT ('Echo: bench'),
//        MCP_PROTOCOL_VERSION (2025-06-18)
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');

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
const INIT_ID = '"id":"stdio-direct-init"'; // no server's own request can carry it

// The server's stderr is this script's: ./run keeps it in the cell's log.
const child = spawn(process.execPath, [server, 'stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
let finished = false;
function fail(why) {
    if (finished) return;
    finished = true;
    console.error(`stdio-direct.cjs: ${why}`);
    child.kill('SIGKILL');
    process.exit(1);
}
child.on('exit', (code, signal) => fail(`server-everything ended early (exit ${code}, signal ${signal})`));
child.stdin.on('error', error => fail(`cannot write to server-everything: ${error.message}`));
const watchdog = setTimeout(() => fail('the rounds did not finish in time'), warmupMs + rounds * roundMs + 60_000);
const send = message => child.stdin.write(JSON.stringify(message) + '\n');

const tickUs = 1e6 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());
function cpuNow() { // [server, client] CPU time so far, in µs: utime + stime of /proc/PID/stat, and process.cpuUsage
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const own = process.cpuUsage();
    return [(Number(fields[11]) + Number(fields[12])) * tickUs, own.user + own.system];
}

let nextId = 1;
const started = new Map(); // id -> hrtime (ns) the request was written
let round = null; // the round being measured: { startNs, good, bad, latenciesUs }; null while warming up
let roundsDone = 0;
let good = 0;
let cpuAtStart = null;

function call() {
    const id = nextId++;
    started.set(id, process.hrtime.bigint());
    send({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { message: 'bench' } } });
}

function answered(line) {
    if (line.includes(INIT_ID)) { // the session is open: warm up, then measure round after round on timers
        send({ jsonrpc: '2.0', method: 'notifications/initialized' });
        for (let i = 0; i < connections; i++) call();
        setTimeout(() => {
            cpuAtStart = cpuNow();
            startRound();
        }, warmupMs);
        return;
    }
    const match = /"id":(\d+)/.exec(line);
    const sent = match && started.get(Number(match[1]));
    if (sent === undefined || sent === null) return; // a notification or a server's request: not an answer of ours
    started.delete(Number(match[1]));
    if (round !== null) {
        if (line.includes(expect)) {
            round.good++;
            round.latenciesUs.push(Number(process.hrtime.bigint() - sent) / 1e3);
        } else {
            round.bad++;
        }
    }
    call();
}

function startRound() {
    round = { startNs: process.hrtime.bigint(), good: 0, bad: 0, latenciesUs: [] };
    setTimeout(endRound, roundMs);
}

function endRound() {
    const durationUs = Math.round(Number(process.hrtime.bigint() - round.startNs) / 1e3);
    const lat = round.latenciesUs.sort((a, b) => a - b);
    const at = p => Math.round(lat.length ? lat[Math.max(0, Math.ceil(lat.length * p) - 1)] : 0); // nearest rank
    console.log(`RESULT requests=${round.good + round.bad} duration_us=${durationUs} p50_us=${at(0.5)} `
        + `p99_us=${at(0.99)} good=${round.good} bad=${round.bad} socket_errors=0`);
    if (round.good + round.bad === 0) {
        fail(`server-everything answered nothing for ${roundMs} ms`);
        return;
    }
    good += round.good;
    if (++roundsDone < rounds) {
        startRound();
        return;
    }
    const [serverUs, clientUs] = cpuNow();
    const perCall = (now, then) => Math.round(good ? (now - then) / good : 0);
    console.log(`CPU_US ${perCall(serverUs, cpuAtStart[0])} ${perCall(clientUs, cpuAtStart[1])}`);
    finished = true;
    clearTimeout(watchdog);
    child.stdout.destroy();
    child.stdin.destroy();
    child.kill();
    // A server that ignores SIGTERM must not keep this script, and ./run with it, waiting.
    setTimeout(() => {
        child.kill('SIGKILL');
        process.exit(0);
    }, 5000).unref();
}

let pending = Buffer.alloc(0);
child.stdout.on('data', chunk => {
    if (finished) return;
    const data = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let from = 0;
    let newline;
    while ((newline = data.indexOf(10, from)) >= 0) {
        answered(data.toString('utf8', from, newline));
        from = newline + 1;
    }
    pending = data.subarray(from);
});

send({ jsonrpc: '2.0', id: 'stdio-direct-init', method: 'initialize', params: {
    protocolVersion: version, capabilities: {}, clientInfo: { name: 'peers-bench', version: '1' } } });
