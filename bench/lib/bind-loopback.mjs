// Preloaded (node --import) into supergateway, which has no host option and listens on every
// interface: a listen() given only a port binds 127.0.0.1 instead. No extra process.

import net from 'node:net';

const original = net.Server.prototype.listen;
net.Server.prototype.listen = function listen(...args) {
  const [first, second] = args;
  const isPort = typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first));
  if (isPort && typeof second !== 'string') {
    args.splice(1, 0, '127.0.0.1');
  } else if (first && typeof first === 'object' && first.path === undefined && first.host === undefined) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return original.apply(this, args);
};
