// `npm run admin -- <command>`: the operator's tools for a stopped (or, where safe, running)
// server's data directory. docs/operations.md, "The admin CLI".
import { systemClock } from './kernel/clock.ts';
import { ADMIN_COMMANDS, osOperator, runAdmin } from './platform/admin/index.ts';

process.exitCode = await runAdmin(process.argv.slice(2), ADMIN_COMMANDS, {
  env: process.env,
  clock: systemClock,
  operator: osOperator(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  readStdin: async () => {
    // A terminal is not a pipe: nothing was piped in, so do not wait for the operator to type.
    if (process.stdin.isTTY) return '';
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
});
