import type { SwitchyardConfig } from '@switchyard/core';
import type { GatewayEnvironment } from './resolve-startup.js';

/** The admin key a gateway runs with, and where it was set (named in logs; the key never is). */
export interface AdminKey {
  key: string;
  /** `SWITCHYARD_ADMIN_KEY` (the environment) or `admin.key` (the config). */
  source: 'SWITCHYARD_ADMIN_KEY' | 'admin.key';
}

/**
 * The key of `/admin`, `/dashboard` (and `/metrics`): `SWITCHYARD_ADMIN_KEY`, or the config's
 * `admin.key` (which may interpolate it: `key: ${SWITCHYARD_ADMIN_KEY}`). Both set to different keys
 * is refused rather than one silently winning. Undefined: no admin endpoints.
 */
export function resolveAdminKey(
  config: SwitchyardConfig,
  environment: GatewayEnvironment,
): AdminKey | undefined {
  const fromEnvironment = environment.SWITCHYARD_ADMIN_KEY?.trim() || undefined;
  const fromConfig = config.admin?.key;
  if (fromEnvironment !== undefined && fromConfig !== undefined && fromEnvironment !== fromConfig) {
    throw new Error(
      'SWITCHYARD_ADMIN_KEY and the config’s admin.key are both set, to different keys: set one (admin.key may say ${SWITCHYARD_ADMIN_KEY})',
    );
  }
  if (fromEnvironment !== undefined) return { key: fromEnvironment, source: 'SWITCHYARD_ADMIN_KEY' };
  if (fromConfig !== undefined) return { key: fromConfig, source: 'admin.key' };
  return undefined;
}
