import { LocalProxy } from './local-proxy.ts';
import { TunnelCliArgsError, USAGE, parseTunnelArgs } from './cli-args.ts';

/*
 * `npm run tunnel -- --url URL --token TOKEN --listen 127.0.0.1:PORT`: the engineer's local
 * proxy. Exits once its one tunnel is over: 0 after a normal close, 1 on an error, 2 on bad arguments.
 */

const say = (line: string): void => {
  process.stderr.write(`tunnel: ${line}\n`);
};

async function main(): Promise<number> {
  let args: ReturnType<typeof parseTunnelArgs>;
  try {
    args = parseTunnelArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof TunnelCliArgsError)) throw err;
    process.stderr.write(`${err.problems.map((p) => `error: ${p}`).join('\n')}\n\n${USAGE}`);
    return 2;
  }
  if (!('url' in args)) {
    process.stdout.write(USAGE);
    return 0;
  }
  let proxy: LocalProxy;
  try {
    proxy = await LocalProxy.listen({ url: args.url, token: args.token, host: args.listen.host, port: args.listen.port, log: say });
  } catch (err) {
    say(`error: cannot listen on ${args.listen.host}:${args.listen.port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return 1;
  }
  const { host, port } = proxy.address;
  say(`listening on ${host}:${port}; point your PLC software there (one connection)`);
  process.once('SIGINT', () => void proxy.close());
  process.once('SIGTERM', () => void proxy.close());
  const outcome = await proxy.done;
  if (outcome.ok) {
    say(`tunnel closed: ${outcome.reason}`);
    return 0;
  }
  say(`error: ${outcome.message}`);
  return 1;
}

process.exitCode = await main();
