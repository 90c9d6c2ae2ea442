import { z } from 'zod';
import { intParam } from './time-params.ts';

/** Schemas several capabilities' routes share. */
export const IdParams = z.object({ id: intParam(1, 999_999_999) });

export const ListLimit = intParam(1, 1000).optional();

/** Free text a person writes on a ticket or case: rendered as text by every client. */
export const NoteText = z.string().trim().min(1).max(4000);
export const Reason = z.string().trim().min(1, 'say why').max(2000);
