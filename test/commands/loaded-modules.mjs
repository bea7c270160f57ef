// Loaded by a command under test (node --import): notes the URL of every
// module the process resolves, one a line, in the file LOADED_MODULES_FILE
// names, so a test can tell which packages a command loaded.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.LOADED_MODULES_FILE, resolved.url + '\\n');
  return resolved;
}`));
