// The config file read as JSON, and the error every config problem is
// reported as. Apart from the schema (config.ts), so that a command that
// needs a key or two (`cart-firmware health`) can read them without loading
// the schema library.
import { readFileSync } from 'node:fs';

export class ConfigError extends Error {}

export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(`config file ${path} is not JSON: ${(err as Error).message}`);
  }
}
