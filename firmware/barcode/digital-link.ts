// GS1 Digital Link URIs (GS1 Digital Link standard, URI syntax 1.x) as QR
// codes on packs carry them: https://<any host>/<optional path>/01/<GTIN>
// followed by the key qualifiers /22/<variant>, /10/<batch>, /21/<serial>
// in that order, or by /235/<third-party controlled serial> alone, and
// further AIs as numeric query parameters (?17=261231).
import { aiLength, checkElement } from './application-identifiers.js';
import type { ElementsResult, Gs1Element } from './element-string.js';

/** The qualifier paths GTIN (01) takes: each list in its order, any of its AIs left out, one list only. */
const QUALIFIER_PATHS = [['22', '10', '21'], ['235']];

export function isDigitalLink(data: string): boolean {
  return /^https?:\/\//i.test(data);
}

function decode(s: string): string | null {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** The path segments and query pairs of an http(s) URI (RFC 3986 3.3, 3.4); a fragment is ignored. */
function split(uri: string): { segments: string[]; query: [string, string][] } | null {
  const afterScheme = uri.indexOf('//') + 2;
  const pathStart = uri.indexOf('/', afterScheme);
  if (pathStart < 0 || pathStart === afterScheme) return null;
  const hash = uri.indexOf('#', pathStart);
  const end = hash < 0 ? uri.length : hash;
  const q = uri.indexOf('?', pathStart);
  const pathEnd = q < 0 || q > end ? end : q;
  const segments = uri.slice(pathStart + 1, pathEnd).split('/').filter((seg) => seg !== '');
  const query: [string, string][] = [];
  if (pathEnd < end) {
    for (const pair of uri.slice(pathEnd + 1, end).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      query.push(eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)]);
    }
  }
  return { segments, query };
}

export function parseDigitalLink(data: string): ElementsResult {
  const parts = split(data);
  if (!parts) return { ok: false, reason: 'URL has no host and path' };
  const { segments, query } = parts;
  const at = segments.findIndex((seg, i) => seg === '01' && /^[0-9]+$/.test(segments[i + 1] ?? ''));
  if (at < 0) return { ok: false, reason: 'URL has no /01/<GTIN> path' };
  const gtin = segments[at + 1] ?? '';
  if (![8, 12, 13, 14].includes(gtin.length)) return { ok: false, reason: `GTIN in URL has ${gtin.length} digits` };
  const elements: Gs1Element[] = [{ ai: '01', value: gtin.padStart(14, '0') }];
  const first = segments[at + 2];
  const qualifiers = QUALIFIER_PATHS.find((path) => path.includes(first ?? '')) ?? [];
  let next = 0;
  for (let i = at + 2; i < segments.length; i += 2) {
    const ai = segments[i] ?? '';
    const order = qualifiers.indexOf(ai, next);
    const raw = segments[i + 1];
    if (order < 0 || raw === undefined) return { ok: false, reason: `unexpected path segment "${ai}" after the GTIN` };
    const value = decode(raw);
    if (value === null) return { ok: false, reason: `(${ai}) is not valid percent-encoding` };
    elements.push({ ai, value });
    next = order + 1;
  }
  for (const [key, raw] of query) {
    if (!/^[0-9]+$/.test(key)) continue; // linkType and other non-AI attributes
    if (aiLength(key.slice(0, 2)) !== key.length) return { ok: false, reason: `query key ${key} is not an Application Identifier` };
    const value = decode(raw);
    if (value === null) return { ok: false, reason: `(${key}) is not valid percent-encoding` };
    elements.push({ ai: key, value });
  }
  for (let i = 0; i < elements.length; i++) {
    const { ai, value } = elements[i]!;
    const problem = checkElement(ai, value);
    if (problem) return { ok: false, reason: problem };
    if (elements.findIndex((e) => e.ai === ai) !== i) return { ok: false, reason: `(${ai}) appears twice` };
  }
  return { ok: true, elements };
}
