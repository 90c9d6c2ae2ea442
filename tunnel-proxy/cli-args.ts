import { parseArgs } from 'node:util';
import { z } from 'zod';

export const USAGE = `Usage: npm run tunnel -- --url URL --token TOKEN [--listen 127.0.0.1:PORT]

  --url URL        the tunnel's stream URL, as POST /api/sessions/:id/tunnels answered it
                   (ws://HOST/api/sessions/ID/tunnels/TID/stream, or wss:// behind TLS)
  --token TOKEN    your API bearer token (or env MTBOX_TOKEN)
  --listen ADDR    local address for your PLC software, HOST:PORT or PORT
                   (default 127.0.0.1:5020; port 0 = any free port, printed at start)

One program connects to the local port; its connection is the tunnel's one TCP stream.
A second connection is refused. When either end closes, the tunnel is over and this exits:
0 after a normal close, 1 with the reason in words otherwise, 2 for bad arguments.
`;

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  listen: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const Listen = z
  .string()
  .regex(/^(?:(\d{1,3}(?:\.\d{1,3}){3}|localhost|\[[0-9a-fA-F:]+\]):)?(\d{1,5})$/, 'HOST:PORT or PORT, e.g. 127.0.0.1:5020')
  .transform((text) => {
    const colon = text.lastIndexOf(':');
    const host = colon < 0 ? '127.0.0.1' : text.slice(0, colon).replace(/^\[|\]$/g, '');
    return { host, port: Number(text.slice(colon + 1)) };
  })
  .refine((l) => l.port <= 65_535, 'the port is 0 to 65535');

export const TunnelCliArgs = z.object({
  url: z.url({ protocol: /^wss?$/, error: 'a ws:// or wss:// URL, the `url` of the opened tunnel' }),
  token: z.string({ error: 'a bearer token is needed (--token or env MTBOX_TOKEN)' }).min(1, 'a bearer token is needed (--token or env MTBOX_TOKEN)'),
  listen: Listen.default({ host: '127.0.0.1', port: 5020 }),
  help: z.boolean().default(false),
});
export type TunnelCliArgs = z.infer<typeof TunnelCliArgs>;

export class TunnelCliArgsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** Parses argv (without node and script) and the environment; throws TunnelCliArgsError naming each bad flag. */
export function parseTunnelArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): TunnelCliArgs | { help: true } {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new TunnelCliArgsError([(err as Error).message]);
  }
  if (values.help) return { help: true };
  const parsed = TunnelCliArgs.safeParse({ token: env.MTBOX_TOKEN || undefined, ...values });
  if (!parsed.success) {
    throw new TunnelCliArgsError(parsed.error.issues.map((i) => `${i.path[0] === undefined ? '' : `--${String(i.path[0])}: `}${i.message}`));
  }
  return parsed.data;
}
