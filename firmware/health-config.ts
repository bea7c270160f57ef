// The keys of the config that `cart-firmware health` reads: where the
// database and the health file are, how often the service writes the file,
// and the free disk it needs. Checked here by hand: loading the config
// schema's library (typebox) took longer than the rest of the command. Their
// defaults and bounds are defined here and the schema (config.ts) takes them
// from here, so the two cannot disagree.
import { ConfigError, readConfigFile } from './config-file.js';

export const databasePathKey = { minLength: 1, default: '/var/lib/cart-firmware/cart.db' } as const;
export const healthKeys = {
  path: { minLength: 1, default: '/run/cart-firmware/health.json' },
  everySec: { minimum: 1, maximum: 60, default: 5 },
  minFreeDiskMb: { minimum: 0, default: 200 },
} as const;

export interface HealthConfig {
  databasePath: string;
  health: { path: string; everySec: number; minFreeDiskMb: number };
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The health keys of a parsed config file, defaults filled in; every wrong one reported at once, by its key. */
export function healthConfigOf(input: unknown): HealthConfig {
  const problems: string[] = [];
  const got = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));
  const text = (key: string, v: unknown, rule: { minLength: number; default: string }): string => {
    if (v === undefined) return rule.default;
    if (typeof v === 'string' && v.length >= rule.minLength) return v;
    problems.push(`  ${key}: Expected a string of at least ${rule.minLength} character (got ${got(v)})`);
    return rule.default;
  };
  const number = (key: string, v: unknown, rule: { minimum: number; maximum?: number; default: number }): number => {
    if (v === undefined) return rule.default;
    if (typeof v === 'number' && v >= rule.minimum && v <= (rule.maximum ?? Infinity)) return v;
    problems.push(`  ${key}: Expected a number ${rule.maximum === undefined ? `of at least ${rule.minimum}` : `from ${rule.minimum} to ${rule.maximum}`} (got ${got(v)})`);
    return rule.default;
  };
  const top = isObject(input) ? input : (problems.push(`  (top level): Expected an object (got ${got(input)})`), {});
  const health = top.health === undefined || isObject(top.health) ? (top.health ?? {}) as Json
    : (problems.push(`  health: Expected an object (got ${got(top.health)})`), {});
  const config: HealthConfig = {
    databasePath: text('databasePath', top.databasePath, databasePathKey),
    health: {
      path: text('health.path', health.path, healthKeys.path),
      everySec: number('health.everySec', health.everySec, healthKeys.everySec),
      minFreeDiskMb: number('health.minFreeDiskMb', health.minFreeDiskMb, healthKeys.minFreeDiskMb),
    },
  };
  if (problems.length > 0) throw new ConfigError(`config is not valid:\n${problems.join('\n')}`);
  return config;
}

export function loadHealthConfig(path: string): HealthConfig {
  return healthConfigOf(readConfigFile(path));
}
