import { z } from 'zod';
import { AppError } from '../../../kernel/app-error.ts';
import { routesFor, TextReply } from '../../../kernel/route-definition.ts';
import type { RegistryRouteDeps } from './registry-route-deps.ts';
import { CSV_COLUMNS, HEADER_ROW, MAX_IMPORT_ROWS, parseDeviceCsv, type RowError } from '../domain/csv-import.ts';
import { formatCsv } from '../domain/csv-text.ts';
import { Serial } from '../../../contract/serial.ts';
import { issueSecrets } from './device-secrets.ts';

const defineRoute = routesFor<RegistryRouteDeps>();

const CsvBody = z
  .string()
  .describe(
    `CSV (RFC 4180, UTF-8, optional BOM) with a header row naming some of: ${CSV_COLUMNS.join(', ')}; ` +
      `serial and model are required, an empty cell means absent. customerName links the box to the customer organisation ` +
      `of that name (any case), recorded from the row (businessLine, contact) when none exists yet. Row numbers in errors count the header as row ${HEADER_ROW}. ` +
      `At most ${MAX_IMPORT_ROWS} rows; all or nothing.`,
  );

const ImportQuery = z
  .object({ format: z.enum(['json', 'csv']).optional().describe('csv answers `serial,secret` lines, like Accept: text/csv') })
  .strict();

const ImportResult = z.object({
  imported: z.number().int(),
  devices: z.array(z.object({ serial: Serial, secret: z.string() })),
  organisationsCreated: z
    .array(z.object({ id: z.number().int(), name: z.string() }))
    .describe("customer organisations recorded because no organisation had a row's customerName (any case); the others were linked to"),
});

function wantsCsv(format: 'json' | 'csv' | undefined, accepts: (types: string[]) => string | false): boolean {
  if (format) return format === 'csv';
  return accepts(['application/json', 'text/csv']) === 'text/csv';
}

export const importRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/devices/import',
    costly: true,
    summary: 'Register many boxes from a CSV file; answers every new secret once',
    tag: 'devices',
    access: 'devices:write',
    body: CsvBody,
    bodyType: 'csv',
    query: ImportQuery,
    status: 201,
    response: ImportResult,
    alsoProduces: 'text/csv',
    errors: ['CSV_MALFORMED', 'IMPORT_INVALID', 'IMPORT_TOO_LARGE', 'DEVICE_EXISTS'],
    async handler({ body, query, deps, user, req }) {
      const parsed = parseDeviceCsv(body);
      if (!parsed.ok) throw new AppError(parsed.error.code, parsed.error.details);
      const rows = parsed.devices;

      const secrets = issueSecrets(deps.boxSecrets, rows.length);
      const result = await deps.registry.createMany(
        rows.map((r, i) => ({ input: r.device, secretHash: secrets[i]!.hash })),
        deps.clock(),
      );
      if (!result.ok) {
        const taken = new Set(result.error.serials);
        const details: RowError[] = rows
          .filter((r) => taken.has(r.device.serial))
          .map((r) => ({ row: r.row, serial: r.device.serial, errors: [{ field: 'serial', message: 'already registered' }] }));
        throw new AppError('DEVICE_EXISTS', details);
      }
      deps.logger.info(
        { count: rows.length, organisationsCreated: result.organisationsCreated.length, by: user.username },
        'devices imported from CSV',
      );

      const devices = rows.map((r, i) => ({ serial: r.device.serial, secret: secrets[i]!.secret }));
      if (wantsCsv(query.format, (types) => req.accepts(types))) {
        return new TextReply('text/csv; charset=utf-8', formatCsv([['serial', 'secret'], ...devices.map((d) => [d.serial, d.secret])]));
      }
      return { imported: devices.length, devices, organisationsCreated: result.organisationsCreated };
    },
  }),
];
