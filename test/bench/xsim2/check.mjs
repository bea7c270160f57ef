#!/usr/bin/env node
// xsim2 self-check: node check.mjs DIR
// Checks every DIR/*.jsonl against cart-trace v1 and its DIR/*.truth.json for
// internal consistency, and checks that the raw ADC data really shows the
// weight changes the truth claims. Exit code 1 on any error.
import fs from 'node:fs';
import path from 'node:path';
import { validGtin, fitsProduct } from './lib.mjs';

const KINDS = new Set(['header', 'adc', 'serial', 'button']);
const ALERTS = new Set(['unscanned-item', 'weight-mismatch', 'unknown-removal', 'ambiguous-removal']);
const RAIL_HI = 8388607, RAIL_LO = -8388608;

function median(a) { if (!a.length) return NaN; const s = a.slice().sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; }

// decode scanner bytes into barcodes: [{t, code, aim}]
function decodeSerial(chunks) {
  const out = []; let buf = ''; let tStart = null;
  for (const { t, data } of chunks) {
    for (const ch of data) {
      if (ch === '\r' || ch === '\n') {
        if (buf.length) out.push({ t: tStart, text: buf });
        buf = ''; tStart = null;
      } else { if (tStart === null) tStart = t; buf += ch; }
    }
  }
  if (buf.length) out.push({ t: tStart, text: buf, unterminated: true });
  return out.map((x) => {
    let s = x.text, aim = null;
    if (s[0] === ']') { aim = s.slice(0, 3); s = s.slice(3); }
    let gtin = null;
    if (aim === ']C1' || aim === ']e0') { // GS1 element string
      if (s.startsWith('01')) gtin = s.slice(2, 16);
    } else if (/^\d+$/.test(s) && (s.length === 8 || s.length === 12 || s.length === 13 || s.length === 14)) gtin = s.padStart(14, '0');
    return { ...x, aim, data: s, gtin };
  });
}

function checkPair(dir, name, errs, stats) {
  const E = (m) => errs.push(`${name}: ${m}`);
  const lines = fs.readFileSync(path.join(dir, name + '.jsonl'), 'utf8').split('\n');
  if (lines[lines.length - 1] !== '') E('file does not end with a newline');
  else lines.pop();
  let hdr;
  try { hdr = JSON.parse(lines[0]); } catch { E('header is not JSON'); return; }
  if (hdr.kind !== 'header' || hdr.format !== 'cart-trace' || hdr.version !== 1) E('bad header kind/format/version');
  if (![10, 80].includes(hdr.rateHz)) E('rateHz not 10/80: ' + hdr.rateHz);
  if (JSON.stringify(hdr.channels) !== '["fl","fr","rl","rr"]') E('channels');
  if (!(hdr.geometry?.widthMm > 0 && hdr.geometry?.depthMm > 0)) E('geometry');
  if (!Array.isArray(hdr.calibration) || hdr.calibration.length !== 4 || !hdr.calibration.every((c) => Number.isInteger(c.offset) && typeof c.countsPerGram === 'number' && c.countsPerGram !== 0)) E('calibration');
  const cat = new Map();
  for (const p of hdr.catalog || []) {
    if (!/^\d{14}$/.test(p.gtin) || !validGtin(p.gtin)) E('catalog gtin invalid ' + p.gtin);
    if (cat.has(p.gtin)) E('catalog gtin duplicate ' + p.gtin);
    if (!(p.grams >= 15 && p.grams <= 6000) || !(p.gramsSd > 0) || !Number.isInteger(p.priceCents) || typeof p.byWeight !== 'boolean' || !p.name) E('catalog entry ' + p.gtin);
    cat.set(p.gtin, p);
  }
  if (cat.size < 80 || cat.size > 120) E('catalog size ' + cat.size);

  // ---- lines
  let tPrev = -Infinity; const adc = []; const serial = []; let nNull = 0, nRail = 0, nLines = 0;
  for (let i = 1; i < lines.length; i++) {
    let o;
    try { o = JSON.parse(lines[i]); } catch { E(`line ${i + 1} not JSON`); continue; }
    nLines++;
    if (typeof o.t !== 'number' || !Number.isFinite(o.t)) { E(`line ${i + 1} no t`); continue; }
    if (o.t < tPrev) E(`line ${i + 1} time decreases ${o.t} < ${tPrev}`);
    tPrev = o.t;
    if (!KINDS.has(o.kind) || o.kind === 'header') E(`line ${i + 1} kind ${o.kind}`);
    if (o.kind === 'adc') {
      if (!Array.isArray(o.raw) || o.raw.length !== 4) { E(`line ${i + 1} raw`); continue; }
      for (const x of o.raw) {
        if (x === null) { nNull++; continue; }
        if (!Number.isInteger(x) || x < RAIL_LO || x > RAIL_HI) E(`line ${i + 1} raw value ${x}`);
        if (x === RAIL_LO || x === RAIL_HI) nRail++;
      }
      adc.push(o);
    } else if (o.kind === 'serial') {
      if (typeof o.data !== 'string' || [...o.data].some((c) => c.codePointAt(0) > 255)) E(`line ${i + 1} serial data`);
      serial.push(o);
    } else if (o.kind === 'button') {
      if (typeof o.name !== 'string' || typeof o.pressed !== 'boolean') E(`line ${i + 1} button`);
    }
  }
  const dur = tPrev;
  if (!(dur >= 175 && dur <= 360)) E('duration ' + dur);
  const realRate = adc.length / dur;
  if (Math.abs(realRate / hdr.rateHz - 1) > 0.07) E(`adc rate ${realRate.toFixed(2)} vs ${hdr.rateHz}`);

  // ---- truth
  let tr;
  try { tr = JSON.parse(fs.readFileSync(path.join(dir, name + '.truth.json'), 'utf8')); } catch { E('truth not JSON'); return; }
  if (!Array.isArray(tr.basket) || !Array.isArray(tr.alerts) || !Array.isArray(tr.actions)) { E('truth arrays'); return; }
  const acts = tr.actions;
  for (let i = 1; i < acts.length; i++) if (acts[i].t < acts[i - 1].t) E('actions not sorted');
  const bag = new Map();
  for (const a of acts) {
    if (!(a.restAt >= a.t)) E(`action at ${a.t} restAt ${a.restAt}`);
    if (a.op !== 'add' && a.op !== 'remove') E('op ' + a.op);
    if (a.alert !== null && !ALERTS.has(a.alert)) E('alert kind ' + a.alert);
    if (a.charged) {
      if (!cat.has(a.gtin)) E('charged gtin not in catalog ' + a.gtin);
      const q = (bag.get(a.gtin) || 0) + (a.op === 'add' ? 1 : -1);
      if (q < 0) E(`removal of ${a.gtin} at ${a.t} with none in the basket`);
      bag.set(a.gtin, q);
    }
    if ((a.alert === 'unscanned-item' || a.alert === 'weight-mismatch') && a.charged) E('alerted add is charged');
    if (a.alert === 'unknown-removal' && a.charged) E('unknown-removal is charged');
  }
  const want = [...bag.entries()].filter(([, q]) => q > 0).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([gtin, qty]) => ({ gtin, qty }));
  if (JSON.stringify(want) !== JSON.stringify(tr.basket)) E('basket != charged adds - removes');
  const wantAlerts = acts.filter((a) => a.alert).map((a) => ({ kind: a.alert, t: a.restAt })).sort((a, b) => a.t - b.t);
  if (JSON.stringify(wantAlerts) !== JSON.stringify(tr.alerts)) E('alerts != alerted actions (t = restAt)');
  for (let i = 1; i < tr.alerts.length; i++) if (tr.alerts[i].t - tr.alerts[i - 1].t < 6) E('two alerts within 6 s');
  if (tr.honest && tr.alerts.length) E('honest trip with alerts');
  if (!tr.honest && !(tr.alerts.length >= 1 && tr.alerts.length <= 3)) E('fraud trip with ' + tr.alerts.length + ' alerts');
  const amb = tr.alerts.filter((a) => a.kind === 'ambiguous-removal').length;
  if (amb && !(Array.isArray(tr.basketAlternatives) && tr.basketAlternatives.length === 2 ** amb && tr.basketAlternatives.some((b) => JSON.stringify(b) === JSON.stringify(tr.basket)))) E('basketAlternatives missing/wrong');
  if (!amb && tr.basketAlternatives) E('basketAlternatives without ambiguous-removal');

  // ---- scans: the bytes decode to what the truth says, and scans explain adds
  const codes = decodeSerial(serial);
  if (codes.some((c) => c.unterminated)) E('serial stream ends inside a barcode');
  const truthScans = [];
  for (const s of tr.scans || []) { truthScans.push(s); if (s.repeatAfter !== undefined) truthScans.push({ ...s, t: s.t + s.repeatAfter, repeat: true }); }
  if (codes.length !== truthScans.length) E(`decoded ${codes.length} barcodes, truth lists ${truthScans.length}`);
  else {
    truthScans.sort((a, b) => a.t - b.t);
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i], s = truthScans[i];
      if (Math.abs(c.t - s.t) > 0.15) E(`scan ${i} time ${c.t} vs ${s.t}`);
      if (s.gtin && c.gtin !== s.gtin) E(`scan ${i} decodes to ${c.gtin}, truth ${s.gtin}`);
      if (!s.gtin && cat.has(c.gtin)) E(`scan ${i} non-catalog code decodes to a catalog gtin`);
      if (c.data.includes('\u001d') && c.aim !== ']C1' && c.aim !== ']e0') E('GS outside a GS1 symbology');
    }
  }
  const catScans = (tr.scans || []).filter((s) => s.gtin && cat.has(s.gtin));
  for (let i = 1; i < catScans.length; i++) if (catScans[i].gtin === catScans[i - 1].gtin && catScans[i].t - catScans[i - 1].t <= 1.0) E(`deliberate rescan within 1 s at ${catScans[i].t}`);
  for (const a of acts) {
    const p = cat.get(a.gtin);
    if (a.op === 'add' && a.charged && !a.putBack) {
      if (!fitsProduct(p, a.grams)) E(`charged add ${a.gtin} ${a.grams} g does not fit its product`);
      if (a.lateScan) { if (!catScans.some((s) => s.gtin === a.gtin && s.t >= a.restAt && s.t <= a.restAt + 3)) E('late scan missing at ' + a.t); }
      else if (!catScans.some((s) => s.gtin === a.gtin && s.t <= a.t && s.t >= a.t - 20)) E(`charged add at ${a.t} without a scan in the 20 s before`);
    }
    if (a.alert === 'weight-mismatch') {
      const sp = cat.get(a.scannedGtin);
      if (!catScans.some((s) => s.gtin === a.scannedGtin && s.t <= a.t && s.t >= a.t - 20)) E('mismatch without its scan');
      if (!sp || fitsProduct(sp, a.grams)) E(`mismatch at ${a.t} but weight fits the scanned item`);
    }
    if (a.alert) {
      if (catScans.some((s) => s.t > a.t - 25 && s.t < a.t && s.role !== 'mismatch' && fitsProduct(cat.get(s.gtin), a.grams))) E(`alert at ${a.t} but an open scan could explain it`);
      if (catScans.some((s) => s.t > a.restAt && s.t < a.restAt + 3)) E(`alert at ${a.t} followed by a scan within 3 s`);
    }
  }

  // ---- physics: the ADC data shows each change
  const cal = hdr.calibration;
  const sumT = [], sumG = [];
  for (const o of adc) {
    if (o.raw.some((x) => x === null || x === RAIL_HI || x === RAIL_LO)) continue;
    let g = 0; for (let i = 0; i < 4; i++) g += (o.raw[i] - cal[i].offset) / cal[i].countsPerGram;
    sumT.push(o.t); sumG.push(g);
  }
  const win = (a, b) => { const v = []; for (let i = 0; i < sumT.length; i++) if (sumT[i] >= a && sumT[i] <= b) v.push(sumG[i]); return v; };
  const motion = tr.motion || [];
  const busy = [...motion.map(([a, b]) => [a, b + 0.9]), ...(tr.transients || []).map((x) => [x.t0 - 0.1, x.t1 + 0.2]), ...(tr.cartBumps || []).map((t) => [t - 0.1, t + 1.8]),
    ...(tr.rearranged || []).map(([a, b]) => [a, b + 0.3])];
  const groups = [];
  for (const a of acts) { const g = groups.find((x) => x.t === a.t); if (g) g.acts.push(a); else groups.push({ t: a.t, restAt: a.restAt, acts: [a] }); }
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi];
    const expect = g.acts.reduce((s, a) => s + (a.op === 'add' ? a.grams : -a.grams), 0);
    let tb = g.t; for (const [m0, m1] of motion) if (tb >= m0 && tb <= m1) tb = m0;
    let b0 = tb - 1.2; const b1 = tb - 0.15;
    for (const [x0, x1] of busy) if (x1 > b0 && x1 < b1) b0 = x1;
    const next = Math.min(gi + 1 < groups.length ? groups[gi + 1].t : Infinity, ...busy.map(([x0]) => (x0 > g.restAt ? x0 : Infinity)));
    const a0 = g.restAt + 0.1, a1 = Math.min(g.restAt + 1.3, next - 0.05);
    const before = win(b0, b1), after = win(a0, a1);
    stats.checked = (stats.checked || 0) + 1;
    if (before.length < 3 || after.length < 3) { stats.skipped = (stats.skipped || 0) + 1; continue; }
    const d = median(after) - median(before);
    const tol = 20 + 0.015 * Math.abs(expect);
    stats.maxErr = Math.max(stats.maxErr || 0, Math.abs(d - expect));
    if (Math.abs(d - expect) > tol) E(`ADC step at ${g.t}: measured ${d.toFixed(1)} g, truth ${expect.toFixed(1)} g`);
  }
  stats.nulls = (stats.nulls || 0) + nNull; stats.rails = (stats.rails || 0) + nRail;
  return { honest: tr.honest, dur, alerts: tr.alerts.length, actions: acts.length, rate: realRate };
}

const dir = process.argv[2];
if (!dir) { console.error('usage: node check.mjs DIR'); process.exit(2); }
const names = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).map((f) => f.slice(0, -6)).sort();
const errs = []; const stats = {};
let honest = 0;
for (const n of names) {
  if (!fs.existsSync(path.join(dir, n + '.truth.json'))) { errs.push(n + ': no truth file'); continue; }
  const before = errs.length;
  const r = checkPair(dir, n, errs, stats);
  if (r) { honest += r.honest ? 1 : 0; console.log(`${n} ${r.honest ? 'honest' : 'fraud '} ${r.dur.toFixed(1)} s ${r.rate.toFixed(2)} Hz actions=${r.actions} alerts=${r.alerts} ${errs.length > before ? 'FAIL' : 'ok'}`); }
}
if (names.length && Math.abs(honest - names.length / 2) > 0.5) errs.push(`honest ${honest} of ${names.length}: not half`);
console.log(`steps checked ${stats.checked || 0}, skipped ${stats.skipped || 0}, worst step error ${(stats.maxErr || 0).toFixed(1)} g, null values ${stats.nulls || 0}, rail values ${stats.rails || 0}`);
for (const e of errs) console.log('ERROR ' + e);
console.log(errs.length ? `${errs.length} error(s)` : `all ${names.length} trips ok`);
process.exit(errs.length ? 1 : 0);
