// Preloaded (node --require) into peers whose HTTP server listens on every interface (supergateway, mcp-hub):
// a listen(port[, cb]) without a host is pinned to 127.0.0.1, so the benchmark opens nothing beyond loopback.
// Nothing else about the peer changes.
const http = require('node:http');
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (...args) {
    if ((typeof args[0] === 'number' || typeof args[0] === 'string') && typeof args[1] !== 'string') {
        const callback = args.find(a => typeof a === 'function');
        return listen.call(this, Number(args[0]), '127.0.0.1', callback);
    }
    return listen.apply(this, args);
};
