// The reference server @modelcontextprotocol/server-everything over Streamable HTTP on 127.0.0.1 at /mcp, for ./run.
// The same wrapper as interop/everything-http.mjs, resolving the server from this directory's node_modules:
//
//   node everything-http.mjs [port]
//
// Its own launcher (`mcp-server-everything streamableHttp`, PORT env) listens on every interface, on a fixed port,
// and logs to stdout. So this loads the same transport module after pinning Node's listen() to 127.0.0.1 and the
// requested port (0 = a free one), sends the server's console.log to stderr, and prints {"port":N} as the only
// stdout line. The server code itself runs unchanged.
import http from 'node:http';

const port = Number(process.argv[2] ?? 0);
console.log = (...args) => console.error(...args);
process.env.PORT = String(port); // only for its log line; listen() below decides

const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
    const callback = args.find(a => typeof a === 'function');
    this.once('listening', () => process.stdout.write(JSON.stringify({ port: this.address().port }) + '\n'));
    return listen.call(this, port, '127.0.0.1', callback);
};

await import('@modelcontextprotocol/server-everything/dist/transports/streamableHttp.js');

process.on('SIGTERM', () => process.exit(0));
