/*
 * Why the cloud refused a box's message (docs/protocol.md, "Rejected messages"): the decoder
 * decides them, the presence shadow counts them, the device API shows the counts. Part of
 * the protocol, so all three speak the contract's list.
 */
export const REJECTION_REASONS = ['invalid-json', 'schema', 'too-deep', 'too-large', 'future-timestamp', 'unknown-topic'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
