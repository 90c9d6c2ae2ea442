import { TUNNEL_DOWN_CHANNEL, TUNNEL_UP_CHANNEL, topicFor } from '../../services/contract/topics.ts';

/** The tunnel's two topics of one box (docs/protocol.md, "PLC tunnel"): the cloud publishes on `tun/down`, the box on `tun/up`. */
export function tunnelTopics(sn: string): { down: string; up: string } {
  return { down: topicFor(sn, TUNNEL_DOWN_CHANNEL), up: topicFor(sn, TUNNEL_UP_CHANNEL) };
}
