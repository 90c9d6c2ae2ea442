/**
 * A configuration the process cannot start with, naming each variable or file at fault. In the
 * kernel, below config.ts, so a capability that config.ts reads (accounts, for ADMIN_PASSWORD)
 * can use one that throws it (the box secret key file) without an import cycle.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly issues: string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
  }
}
