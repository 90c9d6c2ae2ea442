/*
 * Diagnostic preload for `npm run bench:tunnel -- --nodelay …` (node --import): turns Nagle's
 * algorithm off (TCP_NODELAY) on every TCP socket the process opens or accepts, to show what the
 * MQTT sockets cost the tunnel without changing the backend or the simulator. Plain JS: it is
 * loaded through NODE_OPTIONS, before tsx.
 */
import net from 'node:net';

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  this.setNoDelay(true);
  return connect.apply(this, args);
};
const emit = net.Server.prototype.emit;
net.Server.prototype.emit = function (event, socket, ...rest) {
  if (event === 'connection' && socket && typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
  return emit.call(this, event, socket, ...rest);
};
