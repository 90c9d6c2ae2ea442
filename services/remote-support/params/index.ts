/* The parameter-backup capability's public face for the composition root. */
export { listSnapshots } from './store/snapshot-store.ts';
export * from './param-backup-service.ts';
