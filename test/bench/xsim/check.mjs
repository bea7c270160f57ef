#!/usr/bin/env node
// Self-check of generated sets: trace validity per cart-trace v1, truth
// consistency, and that the weight changes seen in the raw data (read back
// with the header calibration) match the actions.
//   node check.mjs DIR [DIR...]

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validGtin } from './catalog.mjs';

const RAW_MIN = -8388608, RAW_MAX = 8388607;

function fail(ctx, msg) { throw new Error(`${ctx}: ${msg}`); }

// --- scanner byte stream -> codes (my own reading of the framing rules)
function parseSerial(events) {
  const reads = [];
  let buf = '', bufT = null;
  for (const e of events) {
    for (const ch of e.data) {
      if (ch === '\r' || ch === '\n') {
        if (buf.length) reads.push({ t: bufT, text: buf });
        buf = ''; bufT = null;
      } else {
        if (!buf.length) bufT = e.t;
        buf += ch;
      }
    }
  }
  if (buf.length) reads.push({ t: bufT, text: buf, unterminated: true });
  return reads.map((r) => ({ ...r, gtin: toGtin(r.text) }));
}
function toGtin(text) {
  let aim = null, d = text;
  if (d.startsWith(']')) { aim = d.slice(0, 3); d = d.slice(3); }
  if (aim === ']C1' || aim === ']e0' || aim === ']d2' || aim === ']Q3') {
    return d.startsWith('01') ? d.slice(2, 16) : null;
  }
  if (aim === ']C0') return null;
  if (!/^\d+$/.test(d)) return null;
  if ([8, 12, 13, 14].includes(d.length)) return d.padStart(14, '0');
  return null;
}

function checkTrip(dir, name) {
  const ctx = `${dir}/${name}`;
  const lines = readFileSync(join(dir, name + '.jsonl'), 'utf8').split('\n');
  if (lines[lines.length - 1] !== '') fail(ctx, 'no final newline');
  lines.pop();
  const h = JSON.parse(lines[0]);
  if (h.kind !== 'header' || h.format !== 'cart-trace' || h.version !== 1) fail(ctx, 'header kind/format/version');
  if (typeof h.cart !== 'string' || ![10, 80].includes(h.rateHz)) fail(ctx, 'header cart/rateHz');
  if (JSON.stringify(h.channels) !== '["fl","fr","rl","rr"]') fail(ctx, 'channels');
  if (!(h.geometry.widthMm > 0 && h.geometry.depthMm > 0)) fail(ctx, 'geometry');
  if (h.calibration.length !== 4) fail(ctx, 'calibration length');
  for (const c of h.calibration) {
    if (!Number.isFinite(c.offset) || !Number.isFinite(c.countsPerGram) || c.countsPerGram === 0) fail(ctx, 'calibration entry');
  }
  const cat = new Map();
  for (const p of h.catalog) {
    if (!/^\d{14}$/.test(p.gtin) || !validGtin(p.gtin)) fail(ctx, `bad gtin ${p.gtin}`);
    if (cat.has(p.gtin)) fail(ctx, `duplicate gtin ${p.gtin}`);
    if (typeof p.name !== 'string' || !(p.grams > 0) || !(p.gramsSd > 0) || !Number.isInteger(p.priceCents) || typeof p.byWeight !== 'boolean') fail(ctx, `catalog entry ${p.gtin}`);
    cat.set(p.gtin, p);
  }
  if (cat.size < 60 || cat.size > 120) fail(ctx, 'catalog size');
  let prevT = -Infinity;
  const adc = [], serial = [];
  let nulls = 0, rails = 0;
  for (let i = 1; i < lines.length; i++) {
    const o = JSON.parse(lines[i]);
    if (typeof o.t !== 'number' || !(o.t >= prevT) || o.t < 0) fail(ctx, `line ${i + 1}: t ${o.t} after ${prevT}`);
    prevT = o.t;
    if (o.kind === 'adc') {
      if (!Array.isArray(o.raw) || o.raw.length !== 4) fail(ctx, `line ${i + 1}: raw`);
      for (const r of o.raw) {
        if (r === null) { nulls++; continue; }
        if (!Number.isInteger(r) || r < RAW_MIN || r > RAW_MAX) fail(ctx, `line ${i + 1}: raw value ${r}`);
        if (r === RAW_MIN || r === RAW_MAX) rails++;
      }
      adc.push(o);
    } else if (o.kind === 'serial') {
      if (typeof o.data !== 'string' || !o.data.length) fail(ctx, `line ${i + 1}: data`);
      for (const ch of o.data) if (ch.codePointAt(0) > 255) fail(ctx, `line ${i + 1}: byte > 255`);
      serial.push(o);
    } else if (o.kind === 'button') {
      if (typeof o.name !== 'string' || typeof o.pressed !== 'boolean') fail(ctx, `line ${i + 1}: button`);
    } else fail(ctx, `line ${i + 1}: kind ${o.kind}`);
  }
  const dur = adc[adc.length - 1].t;
  if (dur < 175 || dur > 370) fail(ctx, `duration ${dur}`);
  const rate = (adc.length) / dur;

  // --- truth
  const tr = JSON.parse(readFileSync(join(dir, name + '.truth.json'), 'utf8'));
  for (const k of ['basket', 'alerts', 'actions']) if (!Array.isArray(tr[k])) fail(ctx, `truth.${k}`);
  const basket = new Map();
  for (const a of tr.actions) {
    if (!(a.restAt >= a.t)) fail(ctx, `action restAt < t at ${a.t}`);
    if (a.op === 'add' && a.charged) basket.set(a.gtin, (basket.get(a.gtin) || 0) + 1);
    if (a.op === 'remove' && a.charged && !a.partial) basket.set(a.gtin, (basket.get(a.gtin) || 0) - 1);
  }
  const b2 = [...basket.entries()].filter(([, q]) => q !== 0).sort();
  const b1 = tr.basket.map((x) => [x.gtin, x.qty]);
  if (JSON.stringify(b1) !== JSON.stringify(b2)) fail(ctx, `basket ${JSON.stringify(b1)} != actions ${JSON.stringify(b2)}`);
  for (const [g, q] of b1) if (!cat.has(g) || !(q >= 1)) fail(ctx, `basket entry ${g} ${q}`);
  const al = tr.actions.filter((a) => a.alert).map((a) => `${a.alert}@${a.restAt}`);
  const al2 = tr.alerts.map((a) => `${a.kind}@${a.t}`);
  if (JSON.stringify(al) !== JSON.stringify(al2)) fail(ctx, `alerts ${al2} != actions ${al}`);
  const kinds = new Set(['unscanned-item', 'weight-mismatch', 'unknown-removal', 'ambiguous-removal']);
  for (const a of tr.alerts) if (!kinds.has(a.kind)) fail(ctx, `alert kind ${a.kind}`);

  // --- labels against the catalog (true weights)
  const inBasket = new Map(); // unit -> action
  for (const a of tr.actions) {
    const p = cat.get(a.gtin);
    if (a.op === 'add') {
      if (!p) fail(ctx, `add of unknown gtin ${a.gtin}`);
      const k = p.byWeight ? 1.5 : 2.5;
      if (Math.abs(a.grams - p.grams) > k * p.gramsSd + 0.1) fail(ctx, `item at ${a.t} weighs ${a.grams}, outside ${k} sd of ${p.name}`);
      if (a.alert === 'weight-mismatch') {
        const q = cat.get(a.scannedGtin);
        const d = Math.abs(a.grams - q.grams);
        if (!(d > 5 * q.gramsSd + 5 && d >= Math.max(0.12 * q.grams, 25))) fail(ctx, `mismatch at ${a.t} too close to ${q.name}`);
        if (q.priceCents >= p.priceCents) fail(ctx, `mismatch at ${a.t}: scanned item not cheaper`);
      }
      if ((a.alert === null) !== (a.charged && a.scanned)) fail(ctx, `add at ${a.t}: alert/charged/scanned disagree`);
      inBasket.set(a.unit, a);
    } else {
      if (a.own) { if (a.alert !== 'unknown-removal') fail(ctx, 'own item removal without unknown-removal'); continue; }
      const add = inBasket.get(a.unit);
      if (!add || add.gtin !== a.gtin) fail(ctx, `removal at ${a.t} of a unit not in the basket`);
      if (a.partial) { if (a.alert !== 'unknown-removal' || !(a.grams < add.grams)) fail(ctx, `partial removal at ${a.t}`); continue; }
      if (!add.charged || Math.abs(add.grams - a.grams) > 0.05) fail(ctx, `removal at ${a.t} does not match its add`);
      if (a.alert !== null && a.alert !== 'ambiguous-removal') fail(ctx, `removal at ${a.t} alert ${a.alert}`);
      inBasket.delete(a.unit);
    }
  }

  // --- scans: parse the serial bytes, drop repeats within 1 s, match to adds
  const reads = parseSerial(serial);
  if (reads.some((r) => r.unterminated)) fail(ctx, 'unterminated read');
  const scans = [];
  for (const r of reads) {
    const last = scans.filter((s) => s.text === r.text || (s.gtin && s.gtin === r.gtin)).pop();
    if (last && r.t - last.tEnd <= 1.0) { last.tEnd = r.t; continue; }
    scans.push({ ...r, tEnd: r.t, used: false });
  }
  const truthScans = tr.scans.filter((s) => s.role !== 'duplicate');
  if (truthScans.length !== scans.length) fail(ctx, `scan count ${scans.length} vs truth ${truthScans.length}`);
  for (const a of tr.actions.filter((x) => x.op === 'add' && x.scanned)) {
    const want = a.charged ? a.gtin : a.scannedGtin;
    const s = scans.find((x) => !x.used && x.gtin === want && x.t <= a.t && a.t - x.t <= 20);
    if (!s) fail(ctx, `no open scan for add at ${a.t} (${want})`);
    s.used = true;
  }
  for (const a of tr.actions.filter((x) => x.op === 'add' && !x.scanned)) {
    const open = scans.filter((x) => x.gtin && cat.has(x.gtin) && x.t < a.t && a.t - x.t < 60 && !x.used);
    if (open.length) fail(ctx, `unscanned add at ${a.t} has open scans ${open.map((x) => x.gtin)}`);
  }

  // --- physics: read the weight back with the header calibration
  const cal = h.calibration;
  const sumAt = [];
  for (const s of adc) {
    if (s.raw.some((r) => r === null || r === RAW_MIN || r === RAW_MAX)) continue;
    let g = 0;
    for (let i = 0; i < 4; i++) g += (s.raw[i] - cal[i].offset) / cal[i].countsPerGram;
    sumAt.push([s.t, g]);
  }
  function level(t0, t1) {
    const v = sumAt.filter(([t]) => t >= t0 && t <= t1).map(([, g]) => g).sort((a, b) => a - b);
    if (v.length < 3) fail(ctx, `fewer than 3 good samples in [${t0.toFixed(2)}, ${t1.toFixed(2)}]`);
    return v[Math.floor(v.length / 2)];
  }
  // group actions that share a rest (items put in together)
  const groups = [];
  for (const a of tr.actions) {
    const g = groups.find((x) => x.restAt === a.restAt);
    if (g) g.list.push(a); else groups.push({ restAt: a.restAt, t: a.t, list: [a] });
  }
  let worst = 0;
  for (const g of groups) {
    // an item put in while the cart moves: compare with the level before the push
    const mv = (tr.motion || []).find(([m0, m1]) => g.t >= m0 && g.t <= m1);
    const tb = mv ? mv[0] : g.t;
    const before = level(tb - 1.2, tb - 0.15);
    const after = level(g.restAt + 0.3, g.restAt + 1.3);
    const expect = g.list.reduce((s, a) => s + (a.op === 'add' ? a.grams : -a.grams), 0);
    const got = after - before;
    const tol = 6 + 0.006 * Math.abs(expect);
    worst = Math.max(worst, Math.abs(got - expect) / tol);
    if (!(Math.abs(got - expect) <= tol)) fail(ctx, `step at ${g.t}: read ${got.toFixed(1)} g, actions say ${expect.toFixed(1)} g`);
  }
  // nothing else changes the weight: start to end
  const first = level(0, 1.5), lastL = level(dur - 1.5, dur);
  const total = tr.actions.reduce((s, a) => s + (a.op === 'add' ? a.grams : -a.grams), 0);
  if (!(Math.abs(lastL - first - total) <= 15 + 0.003 * Math.abs(total))) fail(ctx, `start->end ${(lastL - first).toFixed(1)} vs actions ${total.toFixed(1)}`);
  return { rate, dur, nulls, rails, worst, alerts: tr.alerts.map((a) => a.kind), honest: tr.honest, hz: h.rateHz };
}

let n = 0, bad = 0;
const summary = { trips: 0, honest: 0, hz10: 0, alerts: {}, worst: 0, minDur: 1e9, maxDur: 0 };
for (const dir of process.argv.slice(2)) {
  const names = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => f.slice(0, -6)).sort();
  for (const name of names) {
    n++;
    try {
      const r = checkTrip(dir, name);
      summary.trips++;
      if (r.honest) summary.honest++;
      if (r.hz === 10) summary.hz10++;
      for (const k of r.alerts) summary.alerts[k] = (summary.alerts[k] || 0) + 1;
      summary.worst = Math.max(summary.worst, r.worst);
      summary.minDur = Math.min(summary.minDur, r.dur); summary.maxDur = Math.max(summary.maxDur, r.dur);
    } catch (e) { bad++; console.log('FAIL', e.message); }
  }
}
console.log(JSON.stringify(summary));
console.log(bad ? `${bad} of ${n} trips failed` : `all ${n} trips ok`);
process.exit(bad ? 1 : 0);
