import { TOPIC_ROOT } from '../../services/contract/topics.ts';

/**
 * The tunnel's two topics of one box (docs/protocol.md, "PLC tunnel"): the cloud publishes on
 * `tun/down`, the box on `tun/up`. Built here, in one place, until the contract's `topicFor`
 * knows the tun channels; then this function becomes two `topicFor` calls.
 */
export function tunnelTopics(sn: string): { down: string; up: string } {
  return { down: `${TOPIC_ROOT}/${sn}/tun/down`, up: `${TOPIC_ROOT}/${sn}/tun/up` };
}
