import type { Organisation, OrganisationInput, OrganisationPatch } from './organisation.ts';

export type OrganisationWrite = { ok: true; organisation: Organisation } | { ok: false; error: 'ORGANISATION_EXISTS' | 'ORGANISATION_NOT_FOUND' };

export interface OrganisationListQuery {
  /** Part of the name, without regard to case. */
  q?: string | undefined;
  limit: number;
  /** The id of the last organisation of the page before (the list is by name, then id). */
  after?: { name: string; id: number } | undefined;
}

/** Customer organisations and which boxes belong to which. Implemented for SQLite in store/. */
export interface OrganisationStore {
  create(input: OrganisationInput, now: number): Promise<OrganisationWrite>;
  update(id: number, patch: OrganisationPatch, now: number): Promise<OrganisationWrite>;
  get(id: number): Promise<Organisation | null>;
  findByName(name: string): Promise<Organisation | null>;
  /** One more than `limit` when more follow. */
  list(query: OrganisationListQuery): Promise<Organisation[]>;
  /** Links the boxes to the organisation (moving them from another); answers the serials not registered. */
  assignDevices(id: number, serials: readonly string[]): Promise<{ assigned: number; unknown: string[] }>;
  /** Unlinks a box; false when it did not belong to this organisation. */
  releaseDevice(id: number, serial: string): Promise<boolean>;
  /** The organisation's customer accounts. */
  users(id: number): Promise<{ username: string; enabled: boolean; createdAt: number }[]>;
}
