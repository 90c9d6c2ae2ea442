import { z } from 'zod';
import { SERIAL_PATTERN } from './topics.ts';

/*
 * The box serial is part of the protocol (it is a topic level, see topics.ts); the registry,
 * tickets and APIs all validate it with this one schema.
 */
export const Serial = z.string().regex(SERIAL_PATTERN, 'serial: 6-23 upper-case letters and digits, e.g. MTB2411000123');
