import { z } from 'zod';

/*
 * Money is written one way everywhere (warranty charges, RMA bills): integer fen, so no
 * amount is ever a rounded float.
 */

/** Money in integer fen (1 yuan = 100 fen), never floating yuan; past 2^53 integers lose fen. */
export const Fen = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export type Fen = z.infer<typeof Fen>;
