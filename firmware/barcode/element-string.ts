// GS1 element strings, as GS1-128, DataBar, GS1 DataMatrix and GS1 QR carry
// them (GS1 General Specifications 7.8): AI, value, AI, value...; a
// variable-length value ends at the GS character (ASCII 29, which scanners
// send for FNC1) or at the end of the data.
import { aiLength, checkElement, predefinedDataLength } from './application-identifiers.js';

export const GS = '\x1d';

export interface Gs1Element {
  ai: string;
  value: string;
}

export type ElementsResult = { ok: true; elements: Gs1Element[] } | { ok: false; reason: string };

const fail = (reason: string): ElementsResult => ({ ok: false, reason });

/**
 * Splits an element string into checked elements. One GS before the first AI
 * (some scanners send the leading FNC1) and one after a predefined-length
 * value or at the very end are tolerated; an empty element is not.
 */
export function parseElementString(data: string): ElementsResult {
  const elements: Gs1Element[] = [];
  let i = data.startsWith(GS) ? 1 : 0;
  if (i >= data.length) return fail('no element in the GS1 string');
  while (i < data.length) {
    if (data[i] === GS) return fail(`empty element at character ${i + 1}`);
    const firstTwo = data.slice(i, i + 2);
    const length = aiLength(firstTwo);
    if (length === null) return fail(`no Application Identifier begins with "${printable(firstTwo)}" (character ${i + 1})`);
    const ai = data.slice(i, i + length);
    if (!/^[0-9]+$/.test(ai) || ai.length < length) return fail(`AI "${printable(ai)}" is cut short`);
    i += length;
    const fixed = predefinedDataLength(firstTwo);
    let value: string;
    if (fixed !== null) {
      value = data.slice(i, i + fixed);
      if (value.includes(GS) || value.length < fixed) {
        return fail(`(${ai}) needs ${fixed} characters, the string gives ${value.split(GS)[0]?.length ?? 0}`);
      }
      i += fixed;
    } else {
      const end = data.indexOf(GS, i);
      value = data.slice(i, end < 0 ? data.length : end);
      i += value.length;
    }
    if (data[i] === GS) i++;
    const problem = checkElement(ai, value);
    if (problem) return fail(problem);
    if (elements.some((e) => e.ai === ai)) return fail(`(${ai}) appears twice`);
    elements.push({ ai, value });
  }
  return { ok: true, elements };
}

/** The string with GS shown as <GS>, for reasons and logs. */
export function printable(s: string): string {
  return s.replaceAll(GS, '<GS>');
}
