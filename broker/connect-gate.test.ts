import { describe, expect, it } from 'vitest';
import { createConnectGate } from './connect-gate.ts';

function setup(opts: { concurrency: number; maxWaiting: number; maxWaitMs: number }) {
  let now = 0;
  const gate = createConnectGate({ ...opts, clock: () => now });
  const started: string[] = [];
  const turnedAway: string[] = [];
  const releases = new Map<string, () => void>();
  const connect = (name: string) =>
    gate.enter(
      (release) => {
        started.push(name);
        releases.set(name, release);
      },
      () => turnedAway.push(name),
    );
  return {
    gate,
    started,
    turnedAway,
    connect,
    finish: (name: string) => (releases.get(name) as () => void)(),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('the connect gate', () => {
  it('checks at most `concurrency` CONNECTs at once and starts the waiting ones in arrival order', () => {
    const t = setup({ concurrency: 2, maxWaiting: 10, maxWaitMs: 1_000 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) t.connect(name);
    expect(t.started).toEqual(['a', 'b']);
    expect(t.gate.waiting()).toBe(3);
    t.finish('b');
    expect(t.started).toEqual(['a', 'b', 'c']);
    t.finish('a');
    t.finish('c');
    expect(t.started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(t.gate.inFlight()).toBe(2);
    expect(t.turnedAway).toEqual([]);
  });

  it('frees a slot once however often its release is called', () => {
    const t = setup({ concurrency: 1, maxWaiting: 10, maxWaitMs: 1_000 });
    t.connect('a');
    t.connect('b');
    t.connect('c');
    t.finish('a');
    t.finish('a');
    expect(t.started).toEqual(['a', 'b']);
    expect(t.gate.inFlight()).toBe(1);
  });

  it('turns a CONNECT away at once when `maxWaiting` are already waiting', () => {
    const t = setup({ concurrency: 1, maxWaiting: 2, maxWaitMs: 1_000 });
    for (const name of ['a', 'b', 'c', 'd']) t.connect(name);
    expect(t.turnedAway).toEqual(['d']);
    expect(t.gate.waiting()).toBe(2);
  });

  it('turns away CONNECTs that waited longer than `maxWaitMs` instead of starting them late', () => {
    const t = setup({ concurrency: 1, maxWaiting: 10, maxWaitMs: 1_000 });
    t.connect('a');
    t.connect('b');
    t.advance(600);
    t.connect('c');
    t.advance(500);
    // b has waited 1,100 ms, c 500 ms: b is told "server unavailable", c gets the slot.
    t.finish('a');
    expect(t.turnedAway).toEqual(['b']);
    expect(t.started).toEqual(['a', 'c']);
  });

  it('notices stale waiters when a CONNECT arrives, even while no slot frees', () => {
    const t = setup({ concurrency: 1, maxWaiting: 10, maxWaitMs: 1_000 });
    t.connect('a');
    t.connect('b');
    t.advance(1_001);
    t.connect('c');
    expect(t.turnedAway).toEqual(['b']);
    expect(t.gate.waiting()).toBe(1);
  });

  it('drains a long queue of CONNECTs refused at once without growing the stack', () => {
    let now = 0;
    const gate = createConnectGate({ concurrency: 1, maxWaiting: 100_000, maxWaitMs: 1_000, clock: () => now });
    let hold!: () => void;
    gate.enter(
      (release) => (hold = release),
      () => {},
    );
    let done = 0;
    for (let i = 0; i < 50_000; i++) {
      gate.enter(
        (release) => {
          done++;
          release();
        },
        () => {},
      );
    }
    now += 1;
    hold();
    expect(done).toBe(50_000);
    expect(gate.waiting()).toBe(0);
    expect(gate.inFlight()).toBe(0);
  });
});
