// The hand scanner on the cart handle, as bytes on its serial port.
//
// Facts used:
//  - AIM symbology identifiers (ISO/IEC 15424; GS1 General Specifications
//    5.1.2): ]E0 EAN-13 and UPC-A (UPC-A goes out as 13 digits with a
//    leading 0), ]E4 EAN-8, ]C0 Code 128, ]C1 GS1-128, ]e0 GS1 DataBar,
//    ]d2 GS1 DataMatrix, ]Q1 QR Code. (bwipp symbology reference notes the
//    same for UPC-A/EAN-13 and EAN-8.)
//  - Without AIM identifiers most scanners send the bare digits: 13 for
//    EAN-13, 12 for UPC-A (some are set to add the leading 0), 8 for EAN-8.
//  - GS1 element strings: AI (01) GTIN is fixed length 14, (17) and (15)
//    dates YYMMDD fixed length, (3103) net weight in kg with 3 decimals
//    fixed 6 digits; (10) batch and (21) serial are variable length and,
//    unless last, end with FNC1, transmitted as ASCII GS (29)
//    (GS1 General Specifications 7.8.4 and GSCN 16-477).
//  - Coupons: GTIN-13 prefix 99 (national coupons) and 981-983 (common
//    currency coupons, e.g. euro); loyalty cards commonly use restricted
//    circulation prefixes 20-29 or a store's own Code 128. None of these are
//    in the catalog: by the format page they announce nothing.
//  - Serial framing: 9600 baud is about 1 ms a byte; a USB-serial driver
//    hands the reader chunks, so one barcode may arrive split in 2-3 reads
//    a few ms apart, and a scanner in continuous mode may send the same code
//    again within a fraction of a second.

import { withCheckDigit, printedForm, pad14 } from './gtin.mjs';
import { BY_GTIN } from './catalog.mjs';

const GS = String.fromCharCode(29);
const SUFFIX = { CR: '\r', LF: '\n', CRLF: '\r\n' };

export function makeScannerConfig(rng) {
  return {
    aim: rng.chance(0.5),
    suffix: rng.weighted([[4, 'CR'], [3, 'LF'], [3, 'CRLF']]),
    upcAs13: rng.chance(0.3),        // without AIM: UPC-A sent as 13 digits
    splitP: rng.uniform(0.1, 0.35),  // chance a code arrives in pieces
    dupP: rng.uniform(0.05, 0.2),    // chance the scanner repeats a read
  };
}

function digits(rng, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

function yymmdd(rng) {
  const y = rng.int(26, 28), m = rng.int(1, 12), d = rng.int(1, 28);
  return `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
}

/** GS1 element string for a product: (01) first, then extras */
function gs1ElementString(rng, product, netGrams) {
  const parts = [];
  if (netGrams !== undefined) {
    // (3103): net weight in kg, 3 decimals, as a scale label prints it
    parts.push({ ai: '3103', v: String(Math.round(netGrams)).padStart(6, '0'), fixed: true });
  }
  if (rng.chance(0.7)) parts.push({ ai: rng.chance(0.8) ? '17' : '15', v: yymmdd(rng), fixed: true });
  if (rng.chance(0.5)) parts.push({ ai: '10', v: `L${digits(rng, rng.int(3, 6))}`, fixed: false });
  if (rng.chance(0.15)) parts.push({ ai: '21', v: digits(rng, rng.int(4, 10)), fixed: false });
  rng.shuffle(parts);
  let s = `01${product.gtin}`;
  parts.forEach((p, i) => {
    s += p.ai + p.v;
    if (!p.fixed && i < parts.length - 1) s += GS; // variable length, not last
  });
  return s;
}

/**
 * The bytes one read of `product` produces (without the suffix).
 * netGrams: set for a by-weight bag whose label carries its weight.
 */
export function productPayload(rng, cfg, product, netGrams) {
  const wantsGs1 = product.byWeight ? rng.chance(0.55)
    : ['meat', 'fish'].includes(product.category) ? rng.chance(0.4) : rng.chance(0.05);
  if (wantsGs1) {
    const es = gs1ElementString(rng, product, product.byWeight ? netGrams : undefined);
    // by-weight and fresh labels: GS1 DataBar Expanded; some GS1-128;
    // "2D at POS" packs: GS1 DataMatrix
    const symb = product.byWeight || rng.chance(0.6) ? ']e0' : rng.chance(0.5) ? ']C1' : ']d2';
    return cfg.aim ? symb + es : es;
  }
  const f = printedForm(product.gtin);
  if (f.kind === 'ean8') return cfg.aim ? `]E4${f.digits}` : f.digits;
  if (f.kind === 'upca') {
    if (cfg.aim) return `]E00${f.digits}`;
    return cfg.upcAs13 ? `0${f.digits}` : f.digits;
  }
  return cfg.aim ? `]E0${f.digits}` : f.digits;
}

/** A code that is not a catalog product. Returns {payload, label, gtin}. */
export function nonCatalogPayload(rng, cfg, kind) {
  for (;;) {
    let body, payload, label;
    if (kind === 'coupon') {
      body = withCheckDigit(rng.chance(0.5) ? `99${digits(rng, 10)}` : `98${rng.int(1, 2)}${digits(rng, 9)}`);
      payload = (cfg.aim ? ']E0' : '') + body; label = 'coupon';
    } else if (kind === 'loyalty') {
      if (rng.chance(0.5)) {
        body = withCheckDigit(`2${rng.int(5, 9)}${digits(rng, 10)}`);
        payload = (cfg.aim ? ']E0' : '') + body;
      } else {
        body = `LC${digits(rng, 10)}`;
        payload = (cfg.aim ? ']C0' : '') + body;
      }
      label = 'loyalty';
    } else if (kind === 'qr') {
      const alnum = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
      let id = '';
      for (let i = 0; i < 8; i++) id += alnum[rng.int(0, alnum.length - 1)];
      body = `https://store.example/c/${id}`;
      payload = (cfg.aim ? ']Q1' : '') + body; label = 'qr-coupon';
    } else { // a real-looking product the store does not list
      body = withCheckDigit(`${rng.pick(['50', '40', '87', '76'])}${digits(rng, 10)}`);
      payload = (cfg.aim ? ']E0' : '') + body; label = 'unknown-product';
    }
    const gtin = /^\d{13}$/.test(body) ? pad14(body) : null;
    if (gtin && BY_GTIN.has(gtin)) continue; // must really be off-catalog
    return { payload, label, gtin, code: body };
  }
}

/**
 * Turn one trigger pull into serial reads starting at t.
 * Returns { reads: [{t, data}], tDone, dups: [tDone of each repeat] }.
 * tDone is when the code's terminator arrived: the moment a reader knows
 * the code.
 */
export function toReads(rng, cfg, t, payload) {
  const framed = payload + SUFFIX[cfg.suffix];
  const reads = [];
  let tNow = t;
  let tDone = t;
  const emit = (text) => {
    const chunks = splitChunks(rng, cfg, text);
    chunks.forEach((c, i) => {
      if (i > 0) tNow += rng.uniform(0.003, 0.04);
      reads.push({ t: tNow, data: c });
    });
    return tNow;
  };
  // the code is known when the first terminator byte is in
  tDone = emitAndFindDone(emit, framed, payload.length, reads);
  const dups = [];
  if (rng.chance(cfg.dupP)) {
    const gap = rng.uniform(0.02, 0.75);
    if (gap < 0.06) {
      // the repeat arrives in the same chunk as the original
      reads[reads.length - 1].data += framed;
      dups.push(reads[reads.length - 1].t);
    } else {
      tNow += gap;
      dups.push(emitAndFindDone(emit, framed, payload.length, reads));
    }
  }
  return { reads, tDone, dups };
}

function emitAndFindDone(emit, framed, payloadLen, reads) {
  const before = reads.length;
  emit(framed);
  // find the read that holds byte index payloadLen (first terminator)
  let pos = 0;
  for (let i = before; i < reads.length; i++) {
    pos += reads[i].data.length;
    if (pos > payloadLen) return reads[i].t;
  }
  return reads[reads.length - 1].t;
}

function splitChunks(rng, cfg, text) {
  if (!rng.chance(cfg.splitP) || text.length < 2) return [text];
  const cuts = new Set([rng.int(1, text.length - 1)]);
  if (rng.chance(0.2) && text.length > 3) cuts.add(rng.int(1, text.length - 1));
  const sorted = [...cuts].sort((a, b) => a - b);
  const out = [];
  let prev = 0;
  for (const c of sorted) { out.push(text.slice(prev, c)); prev = c; }
  out.push(text.slice(prev));
  return out;
}
