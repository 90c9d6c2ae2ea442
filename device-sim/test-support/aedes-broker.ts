import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
import { Aedes } from 'aedes';

export interface TestBroker {
  broker: Aedes;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** A bare aedes (no authentication) on a free loopback port, for the simulator's own tests. */
export async function startTestBroker(): Promise<TestBroker> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    broker,
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async close() {
      // Closing the broker ends every client, after which the server can finish closing.
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface LiveBroker {
  /** The broker of the running test. */
  readonly broker: TestBroker;
  /** Runs `cleanup` after the test, newest first, before the broker closes. */
  defer(cleanup: () => Promise<unknown>): void;
}

/** A fresh broker per test, with the test's boxes and probes torn down before it closes. */
export function useTestBroker(): LiveBroker {
  let current: TestBroker | undefined;
  let cleanups: Array<() => Promise<unknown>> = [];
  beforeEach(async () => {
    current = await startTestBroker();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups = [];
    await current?.close();
    current = undefined;
  });
  return {
    get broker() {
      if (!current) throw new Error('useTestBroker: no test is running');
      return current;
    },
    defer: (cleanup) => void cleanups.push(cleanup),
  };
}
