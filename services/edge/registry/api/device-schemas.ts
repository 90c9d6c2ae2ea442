import { z } from 'zod';
import { EventPayload, FaultPayload, METRIC_NAME } from '../../../contract/payloads.ts';
import { BoolParam, Duration, Instant, intParam } from '../../../kernel/time-params.ts';
import { REJECTION_REASONS } from '../../../contract/rejection-reasons.ts';
import { Serial } from '../../../contract/serial.ts';
import { CalendarDate } from '../../../kernel/calendar-date.ts';
import { cursorParam, NextCursor, PageLimit, TimeIdKey } from '../../../kernel/page-cursor.ts';
import { Customer, WarrantyStatus } from '../domain/device.ts';
import { WarrantyBasis } from '../../../kernel/warranty-period.ts';

/** HTTP request and response schemas of the registry API; openapi.json is generated from these. */

export const SerialParams = z.object({ sn: Serial });

export const WarrantyView = z.object({
  status: WarrantyStatus.describe("on China's calendar date (Asia/Shanghai), as GET /api/devices/{sn}/warranty answers"),
  endsOn: CalendarDate.nullable().describe('last day covered; null without a receipt or sale date'),
  startsOn: CalendarDate.nullable().describe('the day cover counts from: the receipt date, else the sale date'),
  basis: WarrantyBasis.describe('which date cover counts from; sale-date when the receipt date is unknown'),
  reasons: z.array(z.string()).describe('sentences after-sales can read out: the basis and the outcome'),
});

const Nullable = { string: z.string().nullable(), date: CalendarDate.nullable(), ms: z.number().int().nullable() };

export const DeviceRecord = z.object({
  serial: Serial,
  model: z.string(),
  firmware: Nullable.string,
  productionDate: Nullable.date,
  saleDate: Nullable.date,
  receiptDate: Nullable.date,
  customer: Customer.nullable(),
  enabled: z.boolean(),
  requireCertificate: z.boolean().describe('only a client certificate authenticates the box; a password alone is refused'),
  createdAt: z.number().int(),
  organisation: z
    .object({ id: z.number().int(), name: z.string() })
    .nullable()
    .describe('the customer organisation the box belongs to (GET /api/organisations/{id}); `customer` keeps the text it was registered with'),
});

export const DeviceSummary = DeviceRecord.extend({
  warranty: WarrantyView,
  presence: z.object({ online: z.boolean(), lastSeen: Nullable.ms }),
});

export const DeviceDetail = DeviceRecord.extend({
  warranty: WarrantyView,
  presence: z.object({
    online: z.boolean(),
    lastSeen: Nullable.ms,
    connectedAt: Nullable.ms,
    disconnectedAt: Nullable.ms,
    address: Nullable.string,
    reportedFw: Nullable.string,
    reportedModel: Nullable.string,
  }),
  metrics: z.object({
    values: z.record(z.string(), z.number()),
    ts: Nullable.ms.describe("the box's timestamp of the latest telemetry"),
    receivedAt: Nullable.ms.describe('when the backend received it'),
  }),
  rejected: z.partialRecord(z.enum(REJECTION_REASONS), z.number().int()),
});

export const DEFAULT_DEVICE_PAGE = 100;
export const MAX_DEVICE_PAGE = 1000;

export const DeviceListQuery = z
  .object({
    online: BoolParam.optional(),
    model: z.string().min(1).max(64).optional(),
    customer: z.string().min(1).max(200).optional().describe('part of the customer name, matched literally (% and _ are plain characters)'),
    q: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe("part of the serial, model, firmware or customer name, matched literally (the fleet page's search box)"),
    organisationId: intParam(1, Number.MAX_SAFE_INTEGER).optional().describe("boxes of this customer organisation (its page's box list)"),
    warranty: WarrantyStatus.optional().describe(
      "boxes whose warranty status, as each row shows it, is this one on China's calendar date (counted from the receipt date, else the sale date)",
    ),
    limit: intParam(1, MAX_DEVICE_PAGE).optional().describe(`boxes per page, default ${DEFAULT_DEVICE_PAGE}, at most ${MAX_DEVICE_PAGE}`),
    cursor: cursorParam(Serial).optional(),
  })
  .strict();

export const DeviceList = z.object({
  devices: z.array(DeviceSummary).describe('in serial order; every filter applies before paging, so a page is full unless it is the last'),
  nextCursor: z.string().nullable().describe('pass as `cursor` (with the same filters) for the next page; null on the last page'),
});

export const SecretView = z.object({
  serial: Serial,
  secret: z.string().describe('the MQTT password of the box; shown only in this answer'),
});

export const CreatedDevice = z.object({ device: DeviceSummary, secret: SecretView.shape.secret });

export const DevicePatch = z
  .object({
    enabled: z.boolean().optional(),
    requireCertificate: z.boolean().optional().describe('refuse the box unless it presents a client certificate (MQTT over TLS)'),
    organisationId: z
      .number()
      .int()
      .positive()
      .nullable()
      .optional()
      .describe('link the box to this customer organisation; null unlinks it (its people no longer see it)'),
  })
  .strict()
  .refine((p) => p.enabled !== undefined || p.requireCertificate !== undefined || p.organisationId !== undefined, { message: 'nothing to change' });

/** Most points one telemetry answer holds; a wider range needs a coarser step. */
export const MAX_TELEMETRY_POINTS = 10_000;

export const TelemetryParams = z
  .object({
    metric: z.string().regex(METRIC_NAME, 'metric names are lower_snake_case'),
    from: Instant.optional(),
    to: Instant.optional(),
    step: Duration.optional(),
    limit: intParam(1, MAX_TELEMETRY_POINTS).optional(),
  })
  .strict();

export const TelemetrySeries = z.object({
  serial: Serial,
  metric: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  stepMs: Nullable.ms.describe('bucket width; null for raw points'),
  points: z.array(z.object({ ts: z.number(), value: z.number(), min: z.number(), max: z.number(), count: z.number().int() })),
  truncated: z.boolean().describe('the range holds more points (or buckets) than `limit`: this answer is the first of them'),
  next: Nullable.ms.describe('when truncated, ask again with `from` set to this (and the same `to`) for the rest; null otherwise'),
});

export const HistoryParams = z
  .object({
    from: Instant.optional().describe("the earliest box time to include (the box's `ts`)"),
    to: Instant.optional().describe('the latest box time to include'),
    limit: PageLimit,
    cursor: cursorParam(TimeIdKey).optional(),
  })
  .strict();

const NEWEST_FIRST = "newest first by the box's time; the range applies before paging, so a page is full unless it is the last";

export const FaultList = z.object({
  serial: Serial,
  faults: z.array(FaultPayload.extend({ receivedAt: z.number().int() })).describe(NEWEST_FIRST),
  nextCursor: NextCursor,
});
export const EventList = z.object({
  serial: Serial,
  events: z.array(EventPayload.extend({ receivedAt: z.number().int() })).describe(NEWEST_FIRST),
  nextCursor: NextCursor,
});
