import type { Device, NewDevice, WarrantyStatus } from './device.ts';

export interface DeviceCredentials {
  id: number;
  serial: string;
  enabled: boolean;
  secretHash: string;
  /** A password alone is refused; only a client certificate authenticates the box. */
  requireCertificate: boolean;
}

export interface DeviceFilter {
  model?: string;
  customer?: string;
  /** Part of the serial, model, firmware or customer name, matched literally. */
  search?: string;
  /** Serials to keep. */
  serials?: readonly string[];
  /** Presence lives in memory: the ids of the boxes online, and whether to keep them or the others. */
  presence?: { onlineIds: readonly number[]; online: boolean };
  warranty?: WarrantyStatus;
  /** Boxes of this customer organisation only. */
  organisationId?: number;
  /** China's calendar date (`chinaDate`), the day the warranty filter is decided on. */
  today: string;
  /** Paging in serial order: only serials after this one, at most `limit` of them. */
  afterSerial?: string;
  limit?: number;
}

export type CreateResult =
  | { ok: true; device: Device }
  | { ok: false; error: { code: 'DEVICE_EXISTS'; serial: string } | { code: 'ORGANISATION_NOT_FOUND'; organisationId: number } };

/** An organisation the CSV import created because no organisation had a row's customer name. */
export interface CreatedOrganisation {
  id: number;
  name: string;
}

export type LinkResult = 'linked' | 'DEVICE_NOT_FOUND' | 'ORGANISATION_NOT_FOUND';

/** Where boxes are registered. Implemented for SQLite in store/device-store.ts. */
export interface DeviceRegistry {
  create(input: NewDevice, secretHash: string, now: number): Promise<CreateResult>;
  /**
   * All or nothing: either every row is created or none is. A row's customer name links the
   * box to the organisation of that name (any case), created in the same transaction when
   * none has it, as the registry's text fields became links (migration 0009).
   */
  createMany(
    rows: ReadonlyArray<{ input: NewDevice; secretHash: string }>,
    now: number,
  ): Promise<
    { ok: true; devices: Device[]; organisationsCreated: CreatedOrganisation[] } | { ok: false; error: { code: 'DEVICE_EXISTS'; serials: string[] } }
  >;
  findBySerial(serial: string): Promise<Device | null>;
  findById(id: number): Promise<Device | null>;
  credentials(serial: string): Promise<DeviceCredentials | null>;
  /** A box's serial by its id, from memory for a box that connected; null for an unknown id. */
  serialOf(deviceId: number): Promise<string | null>;
  /** In serial order; every filter applies before the limit, so a page is full unless it is the last. */
  list(filter: DeviceFilter): Promise<Device[]>;
  setEnabled(serial: string, enabled: boolean): Promise<boolean>;
  setSecretHash(serial: string, secretHash: string): Promise<boolean>;
  /**
   * Replaces the hash only while it is still `from`: a box's old-format hash is rewritten after
   * a login without undoing a rotation that happened meanwhile. Answers whether it was replaced.
   */
  replaceSecretHash(serial: string, from: string, to: string): Promise<boolean>;
  setRequireCertificate(serial: string, required: boolean): Promise<boolean>;
  /** Links the box to an organisation, or unlinks it with null. */
  setOrganisation(serial: string, organisationId: number | null): Promise<LinkResult>;
}
