// GS1 Digital Link URIs (GS1 Digital Link standard, URI syntax 1.x) as QR
// codes on packs carry them: https://<any host>/<optional path>/01/<GTIN>
// followed by the key qualifiers /22/<variant>, /10/<batch>, /21/<serial>
// in that order, and further AIs as numeric query parameters (?17=261231).
import { aiLength, checkElement } from './application-identifiers.js';
import type { ElementsResult, Gs1Element } from './element-string.js';

const QUALIFIERS = ['22', '10', '21'];

export function isDigitalLink(data: string): boolean {
  return /^https?:\/\//i.test(data);
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

export function parseDigitalLink(data: string): ElementsResult {
  let url: URL;
  try {
    url = new URL(data);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const at = segments.findIndex((s, i) => s === '01' && /^[0-9]+$/.test(segments[i + 1] ?? ''));
  if (at < 0) return { ok: false, reason: 'URL has no /01/<GTIN> path' };
  const gtin = segments[at + 1] ?? '';
  if (![8, 12, 13, 14].includes(gtin.length)) return { ok: false, reason: `GTIN in URL has ${gtin.length} digits` };
  const elements: Gs1Element[] = [{ ai: '01', value: gtin.padStart(14, '0') }];
  let next = 0;
  for (let i = at + 2; i < segments.length; i += 2) {
    const ai = segments[i] ?? '';
    const order = QUALIFIERS.indexOf(ai, next);
    const raw = segments[i + 1];
    if (order < 0 || raw === undefined) return { ok: false, reason: `unexpected path segment "${ai}" after the GTIN` };
    const value = decode(raw);
    if (value === null) return { ok: false, reason: `(${ai}) is not valid percent-encoding` };
    elements.push({ ai, value });
    next = order + 1;
  }
  for (const [key, value] of url.searchParams) {
    if (!/^[0-9]+$/.test(key)) continue; // linkType and other non-AI attributes
    if (aiLength(key.slice(0, 2)) !== key.length) return { ok: false, reason: `query key ${key} is not an Application Identifier` };
    elements.push({ ai: key, value });
  }
  const seen = new Set<string>();
  for (const { ai, value } of elements) {
    const problem = checkElement(ai, value);
    if (problem) return { ok: false, reason: problem };
    if (seen.has(ai)) return { ok: false, reason: `(${ai}) appears twice` };
    seen.add(ai);
  }
  return { ok: true, elements };
}
