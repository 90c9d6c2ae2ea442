/** The newest parameter snapshot of a box, as far as a ticket shows it. */
export interface NewestBackup {
  id: number;
  createdAt: number;
  reason: string;
}

/** What a ticket view needs of the parameter-backup capability: the box's newest snapshot, if any. */
export interface ParameterBackupPort {
  newest(deviceId: number): Promise<NewestBackup | null>;
}
