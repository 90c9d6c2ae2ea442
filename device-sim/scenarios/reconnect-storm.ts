import type { Scenario } from './scenario.ts';

export interface ReconnectStormOptions {
  /** When, after the fleet starts, every connection drops. */
  atMs?: number;
}

/**
 * Every box loses its connection at the same instant (a broker restart, a NAT gateway
 * flushing its table) and comes back with its own jittered back-off, which is the load
 * the broker's authentication has to survive.
 */
export function reconnectStorm({ atMs = 30_000 }: ReconnectStormOptions = {}): Scenario {
  return {
    name: 'reconnect-storm',
    start(ctx) {
      ctx.after(atMs, () => {
        const online = ctx.boxes.filter((b) => b.state === 'online');
        for (const box of online) box.dropLink();
        ctx.log(`reconnect-storm: dropped ${online.length} connections`);
      });
    },
  };
}
