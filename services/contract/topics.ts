/**
 * The MT-BOX topic tree. Every topic string in the project is built or parsed here.
 * Layout: mtbox/{sn}/{channel}, where channel is one of the names below.
 */
export const TOPIC_ROOT = 'mtbox';

/** Channels a box publishes on (device → cloud). */
export const DEVICE_CHANNELS = ['status', 'telemetry', 'fault', 'event', 'cmd/res'] as const;
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];

/** The one channel the cloud publishes remote commands on (cloud → device). */
export const COMMAND_REQUEST_CHANNEL = 'cmd/req' as const;

/**
 * The PLC tunnel's channels (docs/protocol.md, "PLC tunnel"): binary frames, not JSON
 * (contract/tunnel-frames.ts). A box publishes on its own `tun/up` and subscribes to its own
 * `tun/down`; the cloud publishes on `tun/down`.
 */
export const TUNNEL_UP_CHANNEL = 'tun/up' as const;
export const TUNNEL_DOWN_CHANNEL = 'tun/down' as const;

export type Channel = DeviceChannel | typeof COMMAND_REQUEST_CHANNEL | typeof TUNNEL_UP_CHANNEL | typeof TUNNEL_DOWN_CHANNEL;

// Serial numbers are printed on the label, e.g. MTB2411000123. Upper-case letters and
// digits only, so a serial can never contain an MQTT wildcard or level separator.
export const SERIAL_PATTERN = /^[A-Z0-9]{6,23}$/;

export function isSerial(value: string): boolean {
  return SERIAL_PATTERN.test(value);
}

export function topicFor(sn: string, channel: Channel): string {
  return `${TOPIC_ROOT}/${sn}/${channel}`;
}

export interface ParsedTopic {
  sn: string;
  channel: Channel;
}

const CHANNELS: ReadonlySet<string> = new Set<string>([...DEVICE_CHANNELS, COMMAND_REQUEST_CHANNEL, TUNNEL_UP_CHANNEL, TUNNEL_DOWN_CHANNEL]);

/** Splits `mtbox/{sn}/{channel}`; anything else (extra levels, unknown channel) is null. */
export function parseTopic(topic: string): ParsedTopic | null {
  const prefix = `${TOPIC_ROOT}/`;
  if (!topic.startsWith(prefix)) return null;
  const rest = topic.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const sn = rest.slice(0, slash);
  const channel = rest.slice(slash + 1);
  if (!isSerial(sn) || !CHANNELS.has(channel)) return null;
  return { sn, channel: channel as Channel };
}

/** The topic filter a box subscribes to for its commands. */
export function commandRequestFilter(sn: string): string {
  return topicFor(sn, COMMAND_REQUEST_CHANNEL);
}

/** The topic filter a box subscribes to for its tunnel frames. */
export function tunnelDownFilter(sn: string): string {
  return topicFor(sn, TUNNEL_DOWN_CHANNEL);
}
