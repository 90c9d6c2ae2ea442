/*
 * The accounts capability's public face: what other capabilities may use. The role names
 * themselves are kernel vocabulary (kernel/roles.ts); the permission table stays here.
 */
export { can, type Action } from './domain/roles.ts';
