import { describe, expect, it } from 'vitest';
import { channelSuffix, filterMayMatchChannel, isChannelTopic, isOwnChannelTopic } from './topic-filters.ts';
import { topicFor } from './topics.ts';

describe('which topic filters may match a box channel', () => {
  it.each([
    '#',
    'mtbox/#',
    'mtbox/+/#',
    'mtbox/+/telemetry',
    'mtbox/+/telemetry/#',
    '+/+/telemetry',
    '+/+/+',
    '+/#',
    'mtbox/MTB2611000001/telemetry',
    'mtbox/MTB2611000001/#',
    '$share/ops/mtbox/+/telemetry',
    '$share/ops/#',
  ])('%s may match some box telemetry', (filter) => {
    expect(filterMayMatchChannel(filter, 'telemetry')).toBe(true);
  });

  it.each([
    'mtbox/+/cmd/req',
    'mtbox/MTB2611000001/tun/down',
    'mtbox/+/status',
    'mtbox/+',
    'mtbox/+/telemetry/x',
    'mtbox/+/+/+',
    'mtbox//telemetry',
    'other/+/telemetry',
    '$SYS/#',
    '+/+',
    '$share/ops/mtbox/+/fault',
  ])('%s cannot match any box telemetry', (filter) => {
    expect(filterMayMatchChannel(filter, 'telemetry')).toBe(false);
  });

  it('judges a two-level channel by both of its levels', () => {
    expect(filterMayMatchChannel('mtbox/+/cmd/+', 'cmd/res')).toBe(true);
    expect(filterMayMatchChannel('mtbox/+/cmd/req', 'cmd/res')).toBe(false);
    expect(filterMayMatchChannel('mtbox/+/cmd', 'cmd/res')).toBe(false);
  });
});

describe('recognising a box channel topic', () => {
  const telemetry = channelSuffix('telemetry');

  it('accepts mtbox/{sn}/telemetry and nothing else', () => {
    expect(isChannelTopic('mtbox/MTB2611000001/telemetry', telemetry)).toBe(true);
    for (const topic of [
      'mtbox//telemetry',
      'mtbox/telemetry',
      'mtbox/a/b/telemetry',
      'mtboxx/A/telemetry',
      'x/mtbox/A/telemetry',
      'mtbox/A/telemetryx',
      '/telemetry',
    ]) {
      expect(isChannelTopic(topic, telemetry), topic).toBe(false);
    }
  });

  it('handles a channel of two levels', () => {
    expect(isChannelTopic('mtbox/MTB2611000001/cmd/res', channelSuffix('cmd/res'))).toBe(true);
    expect(isChannelTopic('mtbox/MTB2611000001/cmd/res', channelSuffix('cmd/req'))).toBe(false);
  });
});

describe("recognising a box's own channel topic", () => {
  const telemetry = channelSuffix('telemetry');
  const sn = 'MTB2611000001';

  it('is true only for exactly the topic topicFor builds', () => {
    expect(isOwnChannelTopic(topicFor(sn, 'telemetry'), sn, telemetry)).toBe(true);
    for (const topic of [
      topicFor('MTB2611000002', 'telemetry'),
      topicFor('MTB261100000', 'telemetry'),
      topicFor(`${sn}1`, 'telemetry'),
      topicFor(sn, 'status'),
      `${topicFor(sn, 'telemetry')}/x`,
      `x${topicFor(sn, 'telemetry')}`.slice(0, -1),
      `mtbox/${sn}xtelemetry`,
    ]) {
      expect(isOwnChannelTopic(topic, sn, telemetry), topic).toBe(false);
    }
  });
});
