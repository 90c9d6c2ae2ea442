import { z } from 'zod';
import { EpochMs, EvidenceType, FAULT_CODE, FaultState, MessageId, Severity } from '../../../contract/payloads.ts';
import { SERIAL_PATTERN } from '../../../contract/topics.ts';

/** An open case, RMA ticket or fleet incident the adapter found; null when there is none. */
export const OpenRef = z.object({ id: z.number().int().positive() }).strict().nullable();
export type OpenRef = z.infer<typeof OpenRef>;

const Serial = z.string().regex(SERIAL_PATTERN);
// Boxes that never reported a status (or were registered without firmware) have no model or
// firmware; fleet correlation is then impossible rather than guessed.
const Name = z.string().min(1).max(64).nullable();

/**
 * What the adapter knows about one fault message when it asks for a decision. Counts come
 * from the windows `factWindows(rules)` names.
 */
export const FaultFacts = z
  .object({
    serial: Serial,
    model: Name,
    firmware: Name,
    faultId: MessageId,
    code: z.string().regex(FAULT_CODE),
    /** As the box reported it; the catalog's severity is the reference, the box's is what happened. */
    severity: Severity,
    /** The payload's state, `raised` when the box sent none. */
    state: FaultState,
    ts: EpochMs,
    openCase: OpenRef,
    openTicket: OpenRef,
    /** An open fleet incident for this model, firmware and code. */
    openIncident: OpenRef,
    /** Raises of this code on this box within the repeat window, this one included. */
    repeatsInWindow: z.number().int().nonnegative(),
    /** A remote case this code was attached to was resolved remotely within the repeat window. */
    closedRemoteCaseInWindow: z.boolean(),
    /** Distinct boxes of this model and firmware that raised this code within the fleet window, this one included. */
    fleetBoxes: z.number().int().nonnegative(),
  })
  .strict();
export type FaultFacts = z.infer<typeof FaultFacts>;

/** What the adapter knows about one evidence event (tamper, surge, …). */
export const EvidenceFacts = z
  .object({
    serial: Serial,
    model: Name,
    firmware: Name,
    eventId: MessageId,
    type: EvidenceType,
    ts: EpochMs,
    openTicket: OpenRef,
  })
  .strict();
export type EvidenceFacts = z.infer<typeof EvidenceFacts>;
