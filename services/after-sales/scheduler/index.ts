/** The public face of this capability: what other capabilities and the composition root use. */
export * from './deadlines.ts';
