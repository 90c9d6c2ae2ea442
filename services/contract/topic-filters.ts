import { TOPIC_ROOT, type Channel } from './topics.ts';

/**
 * Whether an MQTT topic filter can match the `channel` topic of some box
 * (`mtbox/{sn}/{channel}`). Errs towards yes: a literal serial level counts as a match, so a
 * no is certain and a broker may skip routing such topics while no filter says yes.
 * A shared subscription (`$share/{group}/{filter}`) is judged by its filter.
 */
export function filterMayMatchChannel(filter: string, channel: Channel): boolean {
  const levels = filter.split('/');
  const start = levels[0] === '$share' ? 2 : 0;
  // null stands for the serial: any one non-empty level.
  const want: Array<string | null> = [TOPIC_ROOT, null, ...channel.split('/')];
  for (let i = start; i < levels.length; i++) {
    const level = levels[i]!;
    const at = i - start;
    // [MQTT-4.7.1-2] '#' matches its parent level and everything below it.
    if (level === '#') return true;
    if (at >= want.length) return false;
    if (level === '+') continue;
    const expected = want[at];
    if (expected === null ? level === '' : level !== expected) return false;
  }
  return levels.length - start === want.length;
}

const CHANNEL_TOPIC_PREFIX = `${TOPIC_ROOT}/`;

/**
 * Whether `topic` is some box's `channel` topic, `mtbox/{sn}/{channel}` with one non-empty
 * serial level; allocates nothing, as it runs once per message.
 */
export function isChannelTopic(topic: string, channelSuffix: string): boolean {
  const serialEnd = topic.length - channelSuffix.length;
  if (serialEnd <= CHANNEL_TOPIC_PREFIX.length || !topic.endsWith(channelSuffix) || !topic.startsWith(CHANNEL_TOPIC_PREFIX)) return false;
  const slash = topic.indexOf('/', CHANNEL_TOPIC_PREFIX.length);
  return slash === serialEnd;
}

/** The `channelSuffix` isChannelTopic takes for a channel: `/telemetry`. */
export function channelSuffix(channel: Channel): string {
  return `/${channel}`;
}

/**
 * Whether `topic` is exactly `mtbox/{serial}{channelSuffix}`, compared in place: the
 * per-message shortcut for a box publishing on its own telemetry topic.
 */
export function isOwnChannelTopic(topic: string, serial: string, channelSuffix: string): boolean {
  return (
    topic.length === CHANNEL_TOPIC_PREFIX.length + serial.length + channelSuffix.length &&
    topic.startsWith(CHANNEL_TOPIC_PREFIX) &&
    topic.startsWith(serial, CHANNEL_TOPIC_PREFIX.length) &&
    topic.endsWith(channelSuffix)
  );
}
