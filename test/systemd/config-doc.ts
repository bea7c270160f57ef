// The table of config keys in docs/install.md, made from the TypeBox schema
// in firmware/config.ts so that it never drifts from it.
//   npx tsx test/systemd/config-doc.ts           rewrites the table in place
// test/systemd/config-doc.test.ts fails when the table is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OptionalKind, type TSchema } from '@sinclair/typebox';
import { ConfigSchema } from '../../firmware/config.js';

export const docPath = fileURLToPath(new URL('../../docs/install.md', import.meta.url));
const start = '<!-- config-table: made by test/systemd/config-doc.ts from firmware/config.ts; do not edit -->';
const end = '<!-- config-table end -->';

function typeOf(s: TSchema): string {
  const choices = (s.anyOf as TSchema[] | undefined)?.map((o) => JSON.stringify(o.const));
  if (choices) return choices.join(' | ');
  const range = (lo: unknown, hi: unknown) => (lo !== undefined || hi !== undefined ? ` ${lo ?? ''}..${hi ?? ''}` : '');
  switch (s.type) {
    case 'integer':
    case 'number':
      return `${s.type}${range(s.minimum ?? (s.exclusiveMinimum !== undefined ? `>${s.exclusiveMinimum}` : undefined), s.maximum)}`;
    case 'string':
      return s.pattern ? `string \`${s.pattern}\`` : 'string';
    case 'array':
      return `array of ${s.minItems !== undefined && s.minItems === s.maxItems ? `${s.minItems} ` : ''}${typeOf(s.items as TSchema)}`;
    case 'object':
      return 'object';
    default:
      return String(s.type);
  }
}

function rows(schema: TSchema, prefix: string, optional: boolean): string[] {
  const out: string[] = [];
  const required = new Set<string>((schema.required as string[] | undefined) ?? []);
  for (const [key, s] of Object.entries(schema.properties as Record<string, TSchema>)) {
    const name = prefix + key;
    const isOptional = optional || s[OptionalKind] === 'Optional' || !required.has(key);
    if (s.type === 'object' && s.properties) {
      if (s.description) out.push(`| \`${name}\` | object, optional | none | ${s.description} |`);
      out.push(...rows(s, `${name}.`, isOptional && s.default === undefined));
      continue;
    }
    const dflt = s.default !== undefined ? `\`${JSON.stringify(s.default)}\`` : isOptional ? 'none' : '**required**';
    out.push(`| ${[`\`${name}\``, typeOf(s), dflt, s.description ?? ''].map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`);
  }
  return out;
}

export function configTable(): string {
  return [start, '| key | type | default | meaning |', '| --- | --- | --- | --- |', ...rows(ConfigSchema, '', false), end].join('\n');
}

/** docs/install.md with the table between its markers made anew. */
export function withTable(doc: string): string {
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/install.md has no config table markers (${start} ... ${end})`);
  return doc.slice(0, a) + configTable() + doc.slice(b + end.length);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(docPath, withTable(readFileSync(docPath, 'utf8')));
}
