// Runs the reference server @modelcontextprotocol/server-everything (legacy era, sessions, v1 SDK) over
// Streamable HTTP on 127.0.0.1 at /mcp.
//
//   node everything-http.mjs [port]
//
// Two variables let gateway-benchmarks/peers/run use it too: EVERYTHING_FROM names another directory whose
// node_modules hold the server (the benchmark pins its own), and EXIT_ON_STDIN_END=0 keeps it running when stdin
// ends (the benchmark starts it with stdin from /dev/null and stops it by a signal).
//
// Its own launcher (`mcp-server-everything streamableHttp`, PORT env) listens on every interface, on a fixed
// port, and logs to stdout. So this wrapper loads the same transport module after pinning Node's listen() to
// 127.0.0.1 and the requested port (0 = a free one), sends the server's console.log to stderr, and prints
// {"port":N} as the only stdout line. The server code itself runs unchanged.
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const port = Number(process.argv[2] ?? 0);
console.log = (...args) => console.error(...args);
process.env.PORT = String(port); // only for its log line; listen() below decides

const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
    const callback = args.find(a => typeof a === 'function');
    this.once('listening', () => process.stdout.write(JSON.stringify({ port: this.address().port }) + '\n'));
    return listen.call(this, port, '127.0.0.1', callback);
};

const transport = '@modelcontextprotocol/server-everything/dist/transports/streamableHttp.js';
const from = process.env.EVERYTHING_FROM;
await import(from ? pathToFileURL(path.join(path.resolve(from), 'node_modules', transport)).href : transport);

// The parent ends us by closing stdin (or by a signal).
if (process.env.EXIT_ON_STDIN_END !== '0') {
    process.stdin.on('end', () => process.exit(0)).resume();
}
process.on('SIGTERM', () => process.exit(0));
