/** The public face of PLC tunnels: what the composition root wires. */
export * from './domain/tunnel-ports.ts';
export * from './domain/tunnel-view.ts';
export { CLOSE_REASONS, OPEN_TIMEOUT_MS } from './domain/tunnel.ts';
export { createTunnelService, type TunnelConfig, type TunnelService, type TunnelStats } from './tunnel-service.ts';
export { attachTunnelStream, STREAM_PATH, type TunnelStream } from './tunnel-stream.ts';
export { type TunnelRouteDeps, tunnelRoutes } from './api/tunnel-routes.ts';
