#!/usr/bin/env node
// Self-check of generated trips: node check.mjs DIR [--quiet]
//
// Written apart from the generator on purpose: it imports nothing from gen.mjs or lib/ and
// re-derives what it needs (GTIN check digits, scanner framing, calibration) from the format
// page (cart-trace v1). It checks:
//  1. the trace format: header fields, line kinds, t never decreasing, 24-bit raw values or
//     null, serial data as bytes 0-255, buttons;
//  2. the truth file: basket GTINs in the catalog with positive integer counts, alerts of the
//     four kinds sorted by t, actions with restAt after t, basket = charged adds - charged
//     removes, each alert tied to an action that rests at its t;
//  3. cross-checks between trace and truth: adc line count ~ duration x rateHz, every truth
//     scan decodes from the serial bytes at about its time, scan-first adds have their scan at
//     most 20 s before they start, a charged add with no alert weighs what its product does,
//     an unscanned add has no unused read of its product nearby, and the calibrated total
//     weight at rest follows the actions.
// Exit status 1 on any error.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const quiet = process.argv.includes('--quiet');
if (!dir) { console.error('usage: node check.mjs DIR [--quiet]'); process.exit(2); }

const KINDS = new Set(['unscanned-item', 'weight-mismatch', 'unknown-removal', 'ambiguous-removal']);
const MIN24 = -8388608, MAX24 = 8388607;

function gs1Check(digits) {
  // GS1 General Specifications 7.9.1: weights 3,1,3,... from the rightmost data digit
  let s = 0;
  for (let i = digits.length - 2, w = 3; i >= 0; i--, w = 4 - w) s += (digits.charCodeAt(i) - 48) * w;
  return (10 - (s % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 48;
}

/** split the serial byte stream into framed reads: [{t, text}] (t = read that ended it) */
function frames(serial) {
  const out = [];
  let buf = '';
  for (const { t, data } of serial) {
    for (const ch of data) {
      if (ch === '\r' || ch === '\n') {
        if (buf.length) out.push({ t, text: buf });
        buf = '';
      } else buf += ch;
    }
  }
  if (buf.length) out.push({ t: Infinity, text: buf, unterminated: true });
  return out;
}

/** a framed read -> {aim, data, gtin|null} */
function decode(text) {
  let aim = null, data = text;
  if (text[0] === ']' && text.length >= 3) { aim = text.slice(1, 3); data = text.slice(3); }
  let gtin = null;
  const gs1 = aim === 'C1' || aim === 'e0' || aim === 'd2' || (aim === null && /^01\d{14}/.test(data) && data.length > 16);
  if (gs1) {
    const m = /^01(\d{14})/.exec(data);
    if (m) gtin = m[1];
  } else if (/^(\d{8}|\d{12,14})$/.test(data) && (aim === null || aim[0] === 'E' || aim[0] === 'I')) {
    gtin = data.padStart(14, '0');
  }
  if (gtin && !gs1Check(gtin)) gtin = 'BAD-CHECK:' + gtin;
  return { aim, data, gtin };
}

function checkTrip(base) {
  const errors = [];
  const warn = [];
  const err = (m) => errors.push(m);
  const text = readFileSync(base + '.jsonl', 'latin1'); // bytes; the data is ASCII/JSON escaped
  const truth = JSON.parse(readFileSync(base + '.truth.json', 'utf8'));
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();

  // ---- header ----
  let h;
  try { h = JSON.parse(lines[0]); } catch { err('line 1 is not JSON'); return { errors, warn }; }
  if (h.kind !== 'header' || h.format !== 'cart-trace' || h.version !== 1) err('bad header kind/format/version');
  if (typeof h.cart !== 'string') err('header.cart not a string');
  if (h.rateHz !== 10 && h.rateHz !== 80) err(`rateHz ${h.rateHz} is not 10 or 80`);
  const corners = ['fl', 'fr', 'rl', 'rr'];
  if (!Array.isArray(h.channels) || h.channels.length !== 4 || !corners.every((c) => h.channels.includes(c))) err('channels must name fl, fr, rl, rr once each');
  if (!h.geometry || !(h.geometry.widthMm > 0) || !(h.geometry.depthMm > 0)) err('geometry missing');
  if (!Array.isArray(h.calibration) || h.calibration.length !== h.channels.length) err('calibration length');
  for (const c of h.calibration || []) {
    if (!Number.isFinite(c.offset) || !Number.isFinite(c.countsPerGram) || Math.abs(c.countsPerGram) < 50 || Math.abs(c.countsPerGram) > 200) err(`bad calibration ${JSON.stringify(c)}`);
  }
  const catalog = new Map();
  for (const p of h.catalog || []) {
    if (!/^\d{14}$/.test(p.gtin) || !gs1Check(p.gtin)) err(`catalog gtin ${p.gtin} invalid`);
    if (catalog.has(p.gtin)) err(`catalog gtin ${p.gtin} twice`);
    if (typeof p.name !== 'string' || !(p.grams > 0) || !(p.gramsSd >= 0) || !Number.isInteger(p.priceCents) || typeof p.byWeight !== 'boolean') err(`catalog entry ${p.gtin} fields`);
    catalog.set(p.gtin, p);
  }
  if (catalog.size < 40 || catalog.size > 150) warn.push(`catalog has ${catalog.size} products`);

  // ---- lines ----
  let lastT = -Infinity;
  const adc = [];
  const serial = [];
  let buttons = 0, unknownKinds = 0;
  for (let i = 1; i < lines.length; i++) {
    let o;
    try { o = JSON.parse(lines[i]); } catch { err(`line ${i + 1} not JSON`); continue; }
    if (typeof o.t !== 'number' || typeof o.kind !== 'string') { err(`line ${i + 1} lacks t/kind`); continue; }
    if (o.t < lastT) err(`line ${i + 1}: t goes back (${o.t} < ${lastT})`);
    lastT = o.t;
    if (o.kind === 'adc') {
      if (!Array.isArray(o.raw) || o.raw.length !== 4) { err(`line ${i + 1}: raw length`); continue; }
      for (const v of o.raw) if (v !== null && (!Number.isInteger(v) || v < MIN24 || v > MAX24)) err(`line ${i + 1}: raw ${v} out of 24-bit range`);
      adc.push(o);
    } else if (o.kind === 'serial') {
      if (typeof o.data !== 'string' || [...o.data].some((c) => c.codePointAt(0) > 255)) err(`line ${i + 1}: serial data not bytes`);
      serial.push(o);
    } else if (o.kind === 'button') {
      if (typeof o.name !== 'string' || typeof o.pressed !== 'boolean') err(`line ${i + 1}: button fields`);
      buttons++;
    } else if (o.kind === 'header') err(`line ${i + 1}: second header`);
    else unknownKinds++;
  }
  const duration = truth.durationS ?? lastT;

  // ---- adc rate ----
  const expected = duration * h.rateHz;
  if (adc.length < expected * 0.9 || adc.length > expected * 1.06) err(`adc lines ${adc.length}, expected about ${expected.toFixed(0)}`);

  // ---- truth ----
  const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
  const bset = new Set();
  for (const b of truth.basket || []) {
    if (!catalog.has(b.gtin)) err(`basket gtin ${b.gtin} not in catalog`);
    if (bset.has(b.gtin)) err(`basket gtin ${b.gtin} listed twice`);
    bset.add(b.gtin);
    if (!Number.isInteger(b.qty) || b.qty < 1) err(`basket qty ${b.qty}`);
  }
  let prev = -Infinity;
  for (const a of truth.alerts || []) {
    if (!KINDS.has(a.kind)) err(`alert kind ${a.kind}`);
    if (!isNum(a.t) || a.t < 0 || a.t > duration) err(`alert t ${a.t}`);
    if (a.t < prev) err('alerts not sorted');
    prev = a.t;
  }
  prev = -Infinity;
  const acts = truth.actions || [];
  for (const a of acts) {
    if (!isNum(a.t) || !isNum(a.restAt) || !(a.restAt > a.t)) err(`action t/restAt ${a.t}/${a.restAt}`);
    if (a.t < prev) err('actions not sorted by t');
    prev = a.t;
    if (a.op !== 'add' && a.op !== 'remove') err(`action op ${a.op}`);
    if (a.gtin !== null && !catalog.has(a.gtin)) err(`action gtin ${a.gtin} not in catalog`);
    if (a.gtin === null && a.charged) err('a charged action without gtin');
    if (a.alert !== null && !KINDS.has(a.alert)) err(`action alert ${a.alert}`);
    if (a.restAt > duration) err(`action rests after the end (${a.restAt})`);
  }
  // basket = charged adds - charged removes (partial removals do not remove the unit)
  const count = new Map();
  for (const a of acts) {
    if (!a.charged || a.partial) continue;
    count.set(a.gtin, (count.get(a.gtin) || 0) + (a.op === 'add' ? 1 : -1));
  }
  for (const [g, q] of count) {
    const b = (truth.basket || []).find((x) => x.gtin === g);
    if ((q > 0 ? q : 0) !== (b ? b.qty : 0)) err(`basket qty of ${g}: actions say ${q}, basket says ${b ? b.qty : 0}`);
    if (q < 0) err(`more removals than adds of ${g}`);
  }
  for (const b of truth.basket || []) if (!count.has(b.gtin)) err(`basket ${b.gtin} without actions`);
  // alerts <-> actions
  const alertActs = acts.filter((a) => a.alert);
  if (alertActs.length !== (truth.alerts || []).length) err(`alerts ${truth.alerts.length} vs alerting actions ${alertActs.length}`);
  for (const al of truth.alerts || []) {
    if (!alertActs.some((a) => a.alert === al.kind && Math.abs(a.restAt - al.t) < 1e-3)) err(`alert ${al.kind}@${al.t} has no action`);
  }
  for (let i = 1; i < (truth.alerts || []).length; i++) if (truth.alerts[i].t - truth.alerts[i - 1].t < 3) warn.push(`alerts ${truth.alerts[i - 1].t} and ${truth.alerts[i].t} within 3 s`);

  // ---- serial decodes to the truth's scans ----
  const fr = frames(serial).map((f) => ({ ...f, ...decode(f.text) }));
  for (const f of fr) {
    if (f.unterminated) err(`serial ends inside a read: ${JSON.stringify(f.text)}`);
    if (f.gtin && f.gtin.startsWith('BAD')) err(`serial read ${JSON.stringify(f.text)} has a bad check digit`);
  }
  const scans = truth.scans || [];
  if (scans.length !== fr.length) err(`truth lists ${scans.length} scans, serial holds ${fr.length} reads`);
  const used = new Set();
  for (const s of scans) {
    // a scan is matched by its printed code when the truth gives it, else by the GTIN it decodes to
    const same = (f) => (s.code !== undefined ? f.data === s.code : f.gtin === s.gtin);
    const k = fr.findIndex((f, i) => !used.has(i) && same(f) && f.t >= s.t - 1e-3 && f.t - s.t < 0.25);
    if (k < 0) { err(`scan ${s.code ?? s.gtin}@${s.t} not found in serial`); continue; }
    used.add(k);
    const g = fr[k].gtin && catalog.has(fr[k].gtin) ? fr[k].gtin : null;
    if (s.gtin !== g) err(`scan ${JSON.stringify(s.code)} decodes to ${fr[k].gtin}, truth says ${s.gtin}`);
  }
  // product scans, the scanner's own repeats (same code within 1 s) dropped
  const reads = [];
  for (const f of fr) {
    const g = f.gtin && catalog.has(f.gtin) ? f.gtin : null;
    if (!g) continue;
    const last = reads.filter((r) => r.gtin === g).pop();
    if (last && f.t - last.lastT < 1) { last.lastT = f.t; continue; }
    reads.push({ gtin: g, t: f.t, lastT: f.t });
  }
  // the read each scanned add used, so that an unscanned add of the same product later is not blamed on it
  const usedReads = new Set();
  for (const a of acts) {
    if (a.op !== 'add' || !a.scanned) continue;
    const g = a.scannedGtin ?? a.gtin;
    const r = a.how === 'place-then-scan'
      ? reads.find((x) => !usedReads.has(x) && x.gtin === g && x.t > a.t)
      : reads.filter((x) => !usedReads.has(x) && x.gtin === g && x.t <= a.t + 0.05).pop();
    if (r) usedReads.add(r);
  }
  for (const a of acts) {
    if (a.op !== 'add') continue;
    if (a.scanned && a.how !== 'place-then-scan') {
      const g = a.scannedGtin ?? a.gtin; // a mismatching add was announced by the scan of another product
      if (!reads.some((r) => r.gtin === g && r.t <= a.t + 0.05 && a.t - r.t <= 20)) err(`scanned add of ${a.scannedGtin ?? a.gtin}@${a.t}: no read in the 20 s before`);
    }
    if (a.how === 'place-then-scan' && !reads.some((r) => r.gtin === a.gtin && r.t > a.t && r.t <= a.restAt + 2.1)) err(`late scan of ${a.gtin}@${a.t} missing`);
    if (a.scannedGtin && !reads.some((r) => r.gtin === a.scannedGtin && r.t <= a.t && a.t - r.t <= 20)) err(`mismatch ${a.t}: the scanned product was not read`);
    // a fair cart charges a scanned item only when its weight fits the catalog's (page: weight-mismatch)
    const p = a.gtin && catalog.get(a.gtin);
    if (a.charged && !a.alert && p && !p.byWeight && Math.abs(a.grams - p.grams) > 4 * (p.gramsSd || 0) + 10) err(`add of ${a.gtin}@${a.t} weighs ${a.grams} g, the catalog ${p.grams} g, with no alert`);
    if (a.alert === 'unscanned-item' && a.gtin && reads.some((r) => !usedReads.has(r) && r.gtin === a.gtin && r.t > a.t - 20 && r.t < a.restAt + 2.1)) err(`unscanned add of ${a.gtin}@${a.t} has a read of that product nearby`);
  }

  // ---- physics: calibrated total at rest follows the actions ----
  const cal = h.calibration;
  const total = (o) => {
    let s = 0;
    for (let i = 0; i < 4; i++) {
      const v = o.raw[i];
      if (v === null || v === MAX24 || v === MIN24 || v === -1) return null;
      s += (v - cal[i].offset) / cal[i].countsPerGram;
    }
    return s;
  };
  const busy = [];
  for (const a of acts) busy.push([a.t - 0.2, a.restAt + 0.4]);
  for (const m of truth.motion || []) busy.push([m[0] - 0.2, m[1] + 0.4]);
  for (const d of truth.disturbances || []) busy.push([d.t0 - 0.2, d.t1 + 0.5]);
  busy.sort((a, b) => a[0] - b[0]);
  const restWindows = [];
  let cursor = 0.5;
  for (const [a, b] of busy) {
    if (a - cursor > 0.8) restWindows.push([cursor, a]);
    cursor = Math.max(cursor, b);
  }
  if (duration - cursor > 0.8) restWindows.push([cursor, duration]);
  const content = (t) => acts.filter((a) => a.restAt <= t).reduce((s, a) => s + (a.op === 'add' ? a.grams : -a.grams), 0);
  let j = 0;
  let baseline = null;
  const devs = [];
  for (const [a, b] of restWindows) {
    const vals = [];
    while (j < adc.length && adc[j].t < a) j++;
    let k = j;
    while (k < adc.length && adc[k].t <= b) { const v = total(adc[k]); if (v !== null) vals.push(v); k++; }
    if (vals.length < 5) continue;
    vals.sort((x, y) => x - y);
    const med = vals[vals.length >> 1];
    const exp = content(a);
    if (baseline === null) { baseline = med - exp; continue; }
    const dev = med - exp - baseline;
    devs.push(dev);
    const tol = 60 + 0.025 * Math.abs(exp);
    if (Math.abs(dev) > tol) err(`at ${a.toFixed(1)}-${b.toFixed(1)} s the scale reads ${(med - baseline).toFixed(0)} g, actions say ${exp.toFixed(0)} g`);
  }
  const maxDev = devs.reduce((m, d) => Math.max(m, Math.abs(d)), 0);
  return { errors, warn, info: { adc: adc.length, serial: serial.length, buttons, unknownKinds, reads: fr.length, restWindows: devs.length, maxDevG: Math.round(maxDev), alerts: (truth.alerts || []).length, basket: (truth.basket || []).reduce((s, b) => s + b.qty, 0), duration } };
}

const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort();
if (!files.length) { console.error(`no .jsonl traces in ${dir}`); process.exit(1); }
let bad = 0;
for (const f of files) {
  const base = join(dir, f.replace(/\.jsonl$/, ''));
  let res;
  try { res = checkTrip(base); } catch (e) { res = { errors: [`crash: ${e.message}`], warn: [] }; }
  if (res.errors.length) bad++;
  if (!quiet || res.errors.length) {
    const i = res.info ? ` ${res.info.duration.toFixed(0)} s, ${res.info.adc} adc, ${res.info.reads} reads, ${res.info.basket} in basket, ${res.info.alerts} alerts, rest windows ${res.info.restWindows} (max dev ${res.info.maxDevG} g)` : '';
    console.log(`${res.errors.length ? 'FAIL' : 'ok  '} ${f}${i}`);
    for (const e of res.errors.slice(0, 20)) console.log(`   error: ${e}`);
    if (res.errors.length > 20) console.log(`   ... ${res.errors.length - 20} more`);
    for (const w of res.warn) console.log(`   warning: ${w}`);
  }
}
console.log(`${files.length - bad}/${files.length} trips passed`);
process.exit(bad ? 1 : 0);
