/*
 * What the portal reads, always for one organisation: every query takes its id and filters in
 * SQL on `devices.organisation_id`, so another organisation's row is never read (kernel/tenant.ts).
 */

/** A box as the portal shows it: registry data without the vendor's internal fields. */
export interface PortalBox {
  id: number;
  serial: string;
  model: string;
  firmware: string | null;
  productionDate: string | null;
  saleDate: string | null;
  receiptDate: string | null;
}

/** The organisation's own record, for pre-filling the Service Registration Form. */
export interface PortalOrganisation {
  name: string;
  contacts: { name: string; phone?: string | undefined; address?: string | undefined }[];
}

export interface PortalStore {
  /** In serial order; `q` is part of the serial, model or firmware; one more than `limit` when more follow. */
  devices(organisationId: number, query: { q?: string | undefined; afterSerial?: string | undefined; limit: number }): Promise<PortalBox[]>;
  device(organisationId: number, serial: string): Promise<PortalBox | null>;
  /** Ids of the organisation's RMA tickets, newest first; one more than `limit` when more follow. */
  ticketIds(
    organisationId: number,
    query: { open?: boolean | undefined; serial?: string | undefined; beforeId?: number | undefined; limit: number },
  ): Promise<number[]>;
  /** Whether the ticket is on one of the organisation's boxes. */
  ownsTicket(organisationId: number, ticketId: number): Promise<boolean>;
  organisation(organisationId: number): Promise<PortalOrganisation | null>;
}
