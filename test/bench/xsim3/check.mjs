#!/usr/bin/env node
// xsim3 self-check: node check.mjs DIR
//
// For every DIR/NAME.jsonl with its NAME.truth.json:
//  1. format: the rules of the cart-trace v1 page (header, kinds, ranges,
//     t never decreasing, byte strings, GTIN check digits);
//  2. truth: the basket, the alerts and the honest flag follow from the
//     actions; every action obeys the page's rules given the scans this
//     checker decodes itself from the serial bytes and the weights in the
//     truth (with the margins the generator promises, see README);
//  3. ADC: the calibrated load-cell sum moves by the truth's weights at
//     each change, is quiet at each restAt, and the sample rate is near
//     the header's rateHz.
// Exits 1 on any error.
//
// This file deliberately shares no code with the generator: it decodes,
// replays and judges on its own, so a bug on one side shows up as a
// disagreement.

import fs from 'node:fs';
import path from 'node:path';

const VERBOSE = process.argv.includes('--verbose');
const RAIL_HI = 8388607;
const RAIL_LO = -8388608;
const KINDS = new Set(['unscanned-item', 'weight-mismatch', 'unknown-removal', 'ambiguous-removal']);

// the margins the generator promises (README, "Judgement calls")
const LEAD_MAX = 19.0;   // honest scan at most this long before the change (page: open >= 20 s)
const STALE = 60;        // no other scan within this long may explain a fraud
const REPEAT = 1.0;      // page: same code within 1 s = scanner repeating
const FIT = { rel: 0.012, abs: 6, sd: 2.5 };
const MISS = { relMeas: 0.03, relCat: 0.025, abs: 12, sd: 4 };

// ------------------------------------------------------------------ utils

function gtinOk(code) {
  if (!/^\d{14}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += (code.charCodeAt(12 - i) - 48) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10 === code.charCodeAt(13) - 48;
}

function median(xs) {
  if (!xs.length) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ----------------------------------------------------------------- format

function checkFormat(text, err) {
  const lines = text.split('\n');
  if (lines[lines.length - 1] !== '') err('file does not end with a newline');
  else lines.pop();
  if (!lines.length) { err('empty trace'); return null; }
  const recs = [];
  for (let i = 0; i < lines.length; i++) {
    try {
      const o = JSON.parse(lines[i]);
      if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new Error('not an object');
      recs.push(o);
    } catch (e) { err(`line ${i + 1}: not a JSON object (${e.message})`); return null; }
  }
  const h = recs[0];
  const need = (c, m) => { if (!c) err(`header: ${m}`); };
  need(h.kind === 'header', 'kind must be "header"');
  need(h.format === 'cart-trace', 'format must be "cart-trace"');
  need(h.version === 1, 'version must be 1');
  need(typeof h.cart === 'string' && h.cart.length > 0, 'cart name');
  need(h.rateHz === 80 || h.rateHz === 10, 'rateHz must be 80 or 10 (HX711)');
  need(Array.isArray(h.channels) && h.channels.join() === 'fl,fr,rl,rr', 'channels fl,fr,rl,rr');
  need(h.geometry && h.geometry.widthMm > 0 && h.geometry.depthMm > 0, 'geometry');
  need(Array.isArray(h.calibration) && h.calibration.length === 4, 'one calibration a channel');
  for (const c of h.calibration ?? []) {
    need(Number.isFinite(c.offset) && Number.isFinite(c.countsPerGram) && c.countsPerGram !== 0, 'calibration values');
  }
  need(Array.isArray(h.catalog) && h.catalog.length >= 80, 'catalog of at least 80 products');
  const seen = new Set();
  for (const p of h.catalog ?? []) {
    if (!gtinOk(p.gtin)) err(`catalog: bad GTIN ${p.gtin}`);
    if (seen.has(p.gtin)) err(`catalog: duplicate GTIN ${p.gtin}`);
    seen.add(p.gtin);
    if (typeof p.name !== 'string' || !p.name) err(`catalog ${p.gtin}: name`);
    if (!(p.grams > 0) || !(p.gramsSd >= 0)) err(`catalog ${p.gtin}: grams/gramsSd`);
    if (!Number.isInteger(p.priceCents) || p.priceCents < 0) err(`catalog ${p.gtin}: priceCents`);
    if (typeof p.byWeight !== 'boolean') err(`catalog ${p.gtin}: byWeight`);
  }
  let lastT = -Infinity;
  for (let i = 1; i < recs.length; i++) {
    const r = recs[i];
    if (typeof r.t !== 'number' || !Number.isFinite(r.t) || r.t < 0) { err(`line ${i + 1}: bad t`); continue; }
    if (r.t < lastT) err(`line ${i + 1}: t decreases (${r.t} < ${lastT})`);
    lastT = r.t;
    if (typeof r.kind !== 'string') err(`line ${i + 1}: kind`);
    if (r.kind === 'adc') {
      if (!Array.isArray(r.raw) || r.raw.length !== 4) err(`line ${i + 1}: raw must have 4 values`);
      else for (const v of r.raw) {
        if (v !== null && !(Number.isInteger(v) && v >= RAIL_LO && v <= RAIL_HI)) err(`line ${i + 1}: raw value ${v}`);
      }
    } else if (r.kind === 'serial') {
      if (typeof r.data !== 'string' || !r.data.length) err(`line ${i + 1}: serial data`);
      else for (const ch of r.data) if (ch.codePointAt(0) > 255) err(`line ${i + 1}: serial code point > 255`);
    } else if (r.kind === 'button') {
      if (typeof r.name !== 'string' || typeof r.pressed !== 'boolean') err(`line ${i + 1}: button`);
    } else if (r.kind === 'header') err(`line ${i + 1}: second header`);
  }
  return recs;
}

// ---------------------------------------------------------------- scanner

/** the GTIN a scanned code carries, or null */
function gtinOf(text) {
  let sym = null, data = text;
  if (text[0] === ']' && text.length >= 3) { sym = text.slice(0, 3); data = text.slice(3); }
  const gs1 = [']C1', ']e0', ']d2', ']Q3'].includes(sym);
  if ((gs1 || sym === null) && /^01\d{14}/.test(data) && data.length > 14 && !/^\d{13,14}$/.test(data)) {
    return data.slice(2, 16);
  }
  if (/^\d{8}$/.test(data) || /^\d{12,14}$/.test(data)) return data.padStart(14, '0');
  return null;
}

/** every code read, in order, with repeats marked */
function decodeSerial(recs) {
  const reads = [];
  let buf = '';
  for (const r of recs) {
    if (r.kind !== 'serial') continue;
    for (const ch of r.data) {
      if (ch === '\r' || ch === '\n') {
        if (buf) reads.push({ t: r.t, text: buf });
        buf = '';
      } else buf += ch;
    }
  }
  const last = new Map();
  for (const x of reads) {
    x.gtin = gtinOf(x.text);
    const key = x.gtin ?? x.text;
    const prev = last.get(key);
    x.repeat = prev !== undefined && x.t - prev <= REPEAT;
    last.set(key, x.t);
  }
  return { reads, leftover: buf };
}

// ------------------------------------------------------------------- fits

/** mean/sd/measured of a set of members {p (catalog), grams?, measOnly?} */
function stats(members) {
  let mean = 0, v = 0, meas = 0, hasMeas = members.length > 0;
  for (const m of members) {
    if (m.measOnly || (m.p.byWeight && m.grams !== undefined)) { mean += m.grams; meas += m.grams; continue; }
    mean += m.p.grams; v += m.p.gramsSd ** 2;
    if (m.grams === undefined) hasMeas = false; else meas += m.grams;
  }
  return { mean, sd: Math.sqrt(v), meas, hasMeas };
}

function judge(R, members) {
  const s = stats(members);
  const dc = Math.abs(R - s.mean);
  let fit = dc <= FIT.sd * s.sd + FIT.rel * R + FIT.abs;
  let miss = dc > MISS.sd * s.sd + Math.max(MISS.abs, MISS.relCat * Math.max(R, s.mean));
  if (s.hasMeas) {
    const dm = Math.abs(R - s.meas);
    fit = fit && dm <= FIT.rel * R + FIT.abs;
    miss = miss && dm > Math.max(MISS.abs, MISS.relMeas * Math.max(R, s.meas));
  }
  return fit ? 'fit' : miss ? 'miss' : 'grey';
}

/** verdict for every distinct GTIN multiset of up to maxK members */
function allSets(R, members, maxK) {
  const res = new Map();
  const put = (k, v) => {
    const o = res.get(k);
    res.set(k, o === undefined ? v : (o === 'fit' || v === 'fit') ? 'fit' : (o === 'grey' || v === 'grey') ? 'grey' : 'miss');
  };
  put('', judge(R, []));
  const ms = members.slice().sort((a, b) => lowOf(a) - lowOf(b));
  const pick = [];
  const rec = (i0, low) => {
    for (let i = i0; i < ms.length; i++) {
      const l = low + lowOf(ms[i]);
      if (l > R * 1.06 + 40) break;
      pick.push(ms[i]);
      put(pick.map((m) => m.p.gtin).sort().join('+'), judge(R, pick));
      if (pick.length < maxK) rec(i + 1, l);
      pick.pop();
    }
  };
  rec(0, 0);
  return res;
}

function lowOf(m) {
  if (m.measOnly || (m.p.byWeight && m.grams !== undefined)) return m.grams;
  const lo = m.p.grams - 5 * m.p.gramsSd;
  return Math.max(0, Math.min(lo, m.grams ?? Infinity));
}

// ------------------------------------------------------------------ truth

function checkTruth(recs, truth, reads, err) {
  const cat = new Map(recs[0].catalog.map((p) => [p.gtin, p]));
  for (const k of ['basket', 'alerts', 'actions']) if (!Array.isArray(truth[k])) { err(`truth: ${k} missing`); return; }
  if (!(truth.durationS >= 180 && truth.durationS <= 600)) err(`trip length ${truth.durationS} s outside 3-10 min`);

  // scans: what this checker decodes must be what the truth lists
  const tScans = truth.scans ?? [];
  if (tScans.length !== reads.length) err(`truth lists ${tScans.length} scans, serial holds ${reads.length} codes`);
  for (let i = 0; i < Math.min(tScans.length, reads.length); i++) {
    const a = tScans[i], b = reads[i];
    if (Math.abs(a.t - b.t) > 0.00051 || (a.gtin ?? null) !== (b.gtin ?? null)
      || (a.role === 'duplicate') !== b.repeat) {
      err(`scan ${i}: truth ${a.t} ${a.gtin} ${a.role} vs serial ${b.t} ${b.gtin}${b.repeat ? ' (repeat)' : ''}`);
    }
  }
  const scans = reads.filter((r) => !r.repeat && r.gtin && cat.has(r.gtin)).map((r) => ({ ...r, used: false }));

  // replay
  const units = new Map();
  const acts = truth.actions;
  for (let i = 1; i < acts.length; i++) if (acts[i].t < acts[i - 1].t) err('actions not in time order');
  for (const a of acts) {
    if (!['add', 'remove'].includes(a.op)) err(`action at ${a.t}: op ${a.op}`);
    if (!cat.has(a.gtin)) err(`action at ${a.t}: GTIN ${a.gtin} not in catalog`);
    if (!(a.restAt >= a.t) || a.restAt - a.t > 40) err(`action at ${a.t}: restAt ${a.restAt}`);
    if (a.alert !== null && !KINDS.has(a.alert)) err(`action at ${a.t}: alert kind ${a.alert}`);
    if (!(a.grams > 0)) err(`action at ${a.t}: grams`);
  }

  // group actions that come to rest together
  const groups = [];
  for (const a of acts) {
    const g = groups.find((x) => x.restAt === a.restAt && x.op === a.op);
    if (g) g.acts.push(a); else groups.push({ restAt: a.restAt, op: a.op, acts: [a] });
  }
  groups.sort((x, y) => Math.min(...x.acts.map((a) => a.t)) - Math.min(...y.acts.map((a) => a.t)));

  const basketMembers = () => [...units.values()].filter((u) => u.present && u.charged)
    .map((u) => ({ p: u.p, grams: u.grams, measOnly: u.partial }));
  const otherMembers = () => {
    const out = [];
    for (const u of units.values()) {
      if (!u.present) continue;
      if (!u.charged) out.push({ p: u.p, grams: u.grams, measOnly: u.partial });
      else if (u.partial) out.push({ p: u.p, grams: u.first });
    }
    return out;
  };
  const openAt = (t) => scans.filter((s) => !s.used && s.t < t && s.t >= t - STALE);

  let prevRest = -Infinity;
  for (const g of groups) {
    const t0 = Math.min(...g.acts.map((a) => a.t));
    if (t0 < prevRest + 1.5) err(`change at ${t0} begins ${(t0 - prevRest).toFixed(2)} s after the previous rest`);
    prevRest = Math.max(prevRest, g.restAt);
    if (g.op === 'add') checkAddGroup(g, t0, cat, units, scans, openAt, err);
    else for (const a of g.acts) checkRemoval(a, cat, units, scans, basketMembers, otherMembers, err);
  }

  // basket and alerts follow from the actions
  const want = new Map();
  for (const u of units.values()) if (u.present && u.charged) want.set(u.p.gtin, (want.get(u.p.gtin) ?? 0) + 1);
  const wantList = [...want].sort(([a], [b]) => (a < b ? -1 : 1)).map(([gtin, qty]) => ({ gtin, qty }));
  if (JSON.stringify(wantList) !== JSON.stringify(truth.basket.map(({ gtin, qty }) => ({ gtin, qty })))) {
    err(`basket ${JSON.stringify(truth.basket)} but actions give ${JSON.stringify(wantList)}`);
  }
  const wantAlerts = acts.filter((a) => a.alert).map((a) => ({ kind: a.alert, t: a.restAt })).sort((a, b) => a.t - b.t);
  if (JSON.stringify(wantAlerts) !== JSON.stringify(truth.alerts.map(({ kind, t }) => ({ kind, t })))) {
    err(`alerts ${JSON.stringify(truth.alerts)} but actions give ${JSON.stringify(wantAlerts)}`);
  }
  if (truth.honest !== (truth.alerts.length === 0)) err('honest flag disagrees with alerts');
  const nUnits = new Set(acts.filter((a) => a.op === 'add').map((a) => a.unit)).size;
  if (nUnits < 6 || nUnits > 30) err(`${nUnits} items, want 6-30`);
}

function checkAddGroup(g, t0, cat, units, scans, openAt, err) {
  const open = openAt(t0);
  const total = g.acts.reduce((s, a) => s + a.grams, 0);
  const tag = `add at ${t0}`;
  const scannedHonest = g.acts.every((a) => a.scanned && a.charged && a.alert === null);
  if (scannedHonest) {
    // each item has its own scan, before the change began and within the page's window
    for (const a of g.acts) {
      const s = open.find((x) => !x.used && x.gtin === a.gtin && x.t >= t0 - LEAD_MAX);
      if (!s) { err(`${tag}: no open scan of ${a.gtin} within ${LEAD_MAX} s before`); continue; }
      s.used = true;
      s.claimedBy = a;
    }
    const key = g.acts.map((a) => a.gtin).sort().join('+');
    const v = allSets(total, open.map((s) => ({ p: cat.get(s.gtin) })), 6);
    if (v.get(key) !== 'fit') err(`${tag}: ${total} g does not clearly fit ${key}`);
    for (const [k, verdict] of v) if (k !== key && verdict !== 'miss') err(`${tag}: ${total} g could also be ${k || 'nothing'} (${verdict})`);
  } else if (g.acts.length !== 1) {
    err(`${tag}: a fraud shares its rest with other items`);
  } else {
    const a = g.acts[0];
    if (a.alert === 'unscanned-item') {
      if (a.scanned || a.charged) err(`${tag}: unscanned item marked scanned or charged`);
      if (open.length) err(`${tag}: unscanned-item but scans are open: ${open.map((s) => s.gtin).join(',')}`);
    } else if (a.alert === 'weight-mismatch') {
      if (a.charged) err(`${tag}: mismatching item charged`);
      if (open.length !== 1 || open[0].gtin !== a.scannedGtin) err(`${tag}: weight-mismatch needs exactly the one scan of ${a.scannedGtin}`);
      else {
        if (open[0].t < t0 - LEAD_MAX) err(`${tag}: mismatch scan too early`);
        const v = allSets(a.grams, open.map((s) => ({ p: cat.get(s.gtin) })), 3);
        for (const [k, verdict] of v) if (verdict !== 'miss') err(`${tag}: ${a.grams} g ${verdict}s ${k || 'nothing'}`);
        open[0].used = true; // it was answered, by an alert
      }
    } else err(`${tag}: add with alert ${a.alert} / scanned ${a.scanned} / charged ${a.charged}`);
  }
  for (const a of g.acts) {
    const u = units.get(a.unit);
    if (u && u.present) err(`${tag}: unit ${a.unit} added twice`);
    if (u && u.p.gtin !== a.gtin) err(`${tag}: unit ${a.unit} changed product`);
    if (u && Math.abs(u.grams - a.grams) > 0.051) err(`${tag}: unit ${a.unit} put back with another weight`);
    units.set(a.unit, { p: cat.get(a.gtin), grams: a.grams, first: u?.first ?? a.grams, present: true, charged: a.charged, partial: u?.partial ?? false });
  }
}

function checkRemoval(a, cat, units, scans, basketMembers, otherMembers, err) {
  const tag = `remove at ${a.t}`;
  const u = units.get(a.unit);
  if (!u || !u.present) { err(`${tag}: unit ${a.unit} is not in the cart`); return; }
  if (u.p.gtin !== a.gtin) err(`${tag}: unit ${a.unit} is ${u.p.gtin}`);
  if (a.partial) {
    if (a.alert !== 'unknown-removal') err(`${tag}: partial removal without unknown-removal`);
    if (!(a.grams < u.grams)) err(`${tag}: takes ${a.grams} g of a ${u.grams} g unit`);
    const v = allSets(a.grams, basketMembers().concat(otherMembers()), 5);
    for (const [k, verdict] of v) if (k && verdict !== 'miss') err(`${tag}: ${a.grams} g ${verdict}s ${k}`);
    u.grams = Math.round((u.grams - a.grams) * 10) / 10;
    u.partial = true;
    return;
  }
  if (Math.abs(a.grams - u.grams) > 0.051) err(`${tag}: grams ${a.grams} but unit weighs ${u.grams}`);
  if (a.charged !== u.charged) err(`${tag}: charged flag ${a.charged} but unit charged ${u.charged}`);
  if (!u.charged) err(`${tag}: removes an uncharged item (not generated: undecided by the page)`);
  const key = a.gtin;
  const vb = allSets(a.grams, basketMembers(), 5);
  const fits = [...vb].filter(([k, v]) => k && v === 'fit').map(([k]) => k);
  const va = allSets(a.grams, basketMembers().concat(otherMembers()), 5);
  const nonMiss = [...va].filter(([k, v]) => k && v !== 'miss').map(([k]) => k);
  const told = scans.find((s) => !s.used && !s.told && s.gtin === a.gtin && s.t < a.t && s.t >= a.t - LEAD_MAX);
  if (a.alert === null) {
    const clear = fits.length === 1 && fits[0] === key && nonMiss.length === 1;
    if (!clear && !(told && fits.includes(key) && fits.length >= 2)) {
      err(`${tag}: no alert, but ${a.grams} g fits ${fits.join('|') || 'nothing'} (near: ${nonMiss.join('|')})`);
    }
    // a scan that told which item left stays open as far as adds are
    // concerned: a firmware may not have connected it with the removal
    if (told) told.told = true;
  } else if (a.alert === 'ambiguous-removal') {
    if (fits.length < 2 || !fits.includes(key)) err(`${tag}: ambiguous-removal but fits ${fits.join('|')}`);
    const tellers = scans.filter((s) => s.t < a.t && s.t >= a.t - STALE && fits.some((k) => k.split('+').includes(s.gtin)));
    if (tellers.length) err(`${tag}: ambiguous-removal but a scan tells which (${tellers[0].gtin})`);
  } else err(`${tag}: removal with alert ${a.alert}`);
  u.present = false;
}

// -------------------------------------------------------------------- ADC

function checkAdc(recs, truth, err, info) {
  const h = recs[0];
  const adc = recs.filter((r) => r.kind === 'adc');
  if (adc.length < 100) { err('too few adc samples'); return; }
  const span = adc[adc.length - 1].t - adc[0].t;
  const rate = (adc.length - 1) / span;
  info.rate = rate;
  // a few percent off, plus dropped samples
  if (Math.abs(rate / h.rateHz - 1) > 0.07) err(`sample rate ${rate.toFixed(2)} Hz vs header ${h.rateHz}`);
  if (adc[adc.length - 1].t > truth.durationS + 0.01) err('samples after durationS');

  const cal = h.calibration;
  const ts = adc.map((r) => r.t);
  const grams = adc.map((r) => r.raw.map((v, i) => (v === null || v === RAIL_HI || v === RAIL_LO) ? null : (v - cal[i].offset) / cal[i].countsPerGram));
  const lowerBound = (t) => { let lo = 0, hi = ts.length; while (lo < hi) { const m = (lo + hi) >> 1; if (ts[m] < t) lo = m + 1; else hi = m; } return lo; };
  /** sum of per-channel medians over [a, b], and the robust spread of the
   *  sample-by-sample total (a bag swinging on the handle moves single
   *  cells while the total stays put) */
  const level = (a, b) => {
    const i0 = lowerBound(a), i1 = lowerBound(b);
    const chans = [[], [], [], []];
    const sums = [];
    for (let i = i0; i < i1; i++) {
      for (let c = 0; c < 4; c++) if (grams[i][c] !== null) chans[c].push(grams[i][c]);
      if (grams[i].every((x) => x !== null)) sums.push(grams[i][0] + grams[i][1] + grams[i][2] + grams[i][3]);
    }
    const n = i1 - i0;
    if (n < 5 || chans.some((c) => c.length < 0.3 * n) || sums.length < 3) return null;
    const ms = median(sums);
    return {
      sum: chans.map(median).reduce((s, x) => s + x, 0),
      spread: 1.4826 * median(sums.map((x) => Math.abs(x - ms))),
    };
  };

  // when is the basket disturbed (truth's own lists)
  const busy = [];
  for (const [a, b] of truth.motion ?? []) busy.push([a, b]);
  for (const x of truth.hands ?? []) busy.push([x.t, x.end]);
  for (const x of truth.rearranged ?? []) busy.push([x.t, x.end]);
  for (const t of truth.bumps ?? []) busy.push([t, t + 1.2]);
  for (const a of truth.actions) busy.push([a.t, a.restAt]);
  const isQuiet = (a, b) => busy.every(([x, y]) => y <= a || x >= b);

  // content of the cart (everything physically in it) after each rest
  const groups = [];
  for (const a of truth.actions) {
    const g = groups.find((x) => x.restAt === a.restAt);
    if (g) g.acts.push(a); else groups.push({ restAt: a.restAt, acts: [a] });
  }
  let content = 0;
  let checked = 0;
  for (const g of groups) {
    const t0 = Math.min(...g.acts.map((a) => a.t));
    let delta = 0;
    for (const a of g.acts) delta += a.op === 'add' ? a.grams : -a.grams;
    // latest quiet second before the change began
    let pre = null, preT = null;
    for (let b = t0 - 0.1; b > t0 - 90 && b > 1; b -= 0.25) {
      if (isQuiet(b - 1.0, b)) { pre = level(b - 1.0, b); preT = b; if (pre) break; }
    }
    const own = (x) => g.acts.some((a) => a.t === x[0] && a.restAt === x[1]);
    const inside = busy.find((x) => !own(x) && x[0] < g.restAt - 0.01 && x[1] > g.restAt + 0.01);
    if (inside) err(`restAt ${g.restAt} falls inside a disturbance [${inside[0]}, ${inside[1]}]`);
    const post = isQuiet(g.restAt + 0.3, g.restAt + 1.8) ? level(g.restAt + 0.3, g.restAt + 1.8) : null;
    if (!post) { info.unmeasured = (info.unmeasured ?? 0) + 1; content += delta; continue; }
    if (post.spread > 15) err(`not at rest after ${g.restAt}: spread ${post.spread.toFixed(1)} g`);
    if (pre) {
      const moved = busy.some(([x, y]) => (x >= preT && x < g.restAt) && !g.acts.some((a) => a.t === x));
      const span2 = g.restAt - preT;
      // gains off by at most 1 %, non-linearity and creep about 0.1 % each,
      // temperature drift at most ~0.1 g/s; items rolled by a push or a knock
      // move the sum by up to 15 g each (the generator's cap)
      const tol = 6 + 0.015 * Math.abs(delta) + 0.1 * span2 + (moved ? Math.min(0.02 * content, 45) : 0);
      const got = post.sum - pre.sum;
      if (VERBOSE) console.log(`   ${t0.toFixed(2)}  truth ${delta.toFixed(1).padStart(8)} g  cells ${got.toFixed(1).padStart(8)} g  off ${(got - delta).toFixed(1).padStart(6)}  tol ${tol.toFixed(1)}`);
      if (Math.abs(got - delta) > tol) {
        err(`change at ${t0}: load cells moved ${got.toFixed(1)} g, truth says ${delta.toFixed(1)} g (tol ${tol.toFixed(1)})`);
      }
      checked++;
    }
    content += delta;
  }
  info.deltasChecked = checked;
  info.groups = groups.length;
}

// ------------------------------------------------------------------- main

function checkTrip(dir, name) {
  const errors = [];
  const err = (m) => errors.push(m);
  const info = {};
  const buf = fs.readFileSync(path.join(dir, `${name}.jsonl`));
  const text = buf.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(buf)) err('trace is not valid UTF-8');
  let truth;
  try { truth = JSON.parse(fs.readFileSync(path.join(dir, `${name}.truth.json`), 'utf8')); } catch (e) { err(`truth: ${e.message}`); }
  const recs = checkFormat(text, err);
  if (recs && truth) {
    const { reads, leftover } = decodeSerial(recs);
    if (leftover) err(`serial ends inside a code: ${JSON.stringify(leftover)}`);
    checkTruth(recs, truth, reads, err);
    checkAdc(recs, truth, err, info);
    info.alerts = truth.alerts.map((a) => a.kind);
  }
  return { errors, info };
}

function main() {
  const dir = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (!dir) { console.error('usage: node check.mjs [--verbose] DIR'); process.exit(2); }
  const names = fs.readdirSync(dir).filter((f) => /^trip-\d+\.jsonl$/.test(f)).map((f) => f.slice(0, -6)).sort();
  if (!names.length) { console.error(`no trip-*.jsonl in ${dir}`); process.exit(1); }
  let bad = 0;
  for (const name of names) {
    if (!fs.existsSync(path.join(dir, `${name}.truth.json`))) { console.log(`${name}: FAIL no truth file`); bad++; continue; }
    if (VERBOSE) console.log(`${name}:`);
    const { errors, info } = checkTrip(dir, name);
    const summary = `rate ${info.rate?.toFixed(2)} Hz, ${info.deltasChecked ?? 0}/${info.groups ?? 0} changes weighed, alerts: ${(info.alerts ?? []).join(',') || 'none'}`;
    if (errors.length) {
      bad++;
      console.log(`${name}: FAIL (${summary})`);
      for (const e of errors.slice(0, 20)) console.log(`   ${e}`);
      if (errors.length > 20) console.log(`   ... ${errors.length - 20} more`);
    } else console.log(`${name}: ok (${summary})`);
  }
  console.log(`${names.length - bad}/${names.length} trips ok`);
  process.exit(bad ? 1 : 0);
}

main();
