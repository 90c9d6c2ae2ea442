/** The public face of this capability: what the composition root uses. */
export { createPortalService, type PortalDeps, type PortalService } from './portal-service.ts';
export { createPortalStore } from './store/portal-store.ts';
