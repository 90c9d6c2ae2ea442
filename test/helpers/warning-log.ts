import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../services/platform/logger.ts';

/** A logger at `warn` whose warnings' messages are kept, in order, to assert on. */
export function warningLog(): { logger: Logger; warnings: string[] } {
  const warnings: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { level: number; msg: string };
        // pino's level 40 is warn; errors are not what these tests count.
        if (entry.level === 40) warnings.push(entry.msg);
      }
      done();
    },
  });
  return { logger: createLogger('warn', sink), warnings };
}
