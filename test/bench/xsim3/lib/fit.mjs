// When does a weight "fit" an item or a set of items?
//
// The format page names the alerts (weight-mismatch, unknown-removal,
// ambiguous-removal) by whether a weight "fits" items, but gives no
// tolerance. A firmware picks its own. So the simulator only produces
// situations that every sensible tolerance judges the same way: a weight
// either fits clearly or misses clearly, never in between. Anything in the
// grey band between the two is rejected while planning and redrawn.
//
// Two views are combined, because a firmware may use either:
//  - catalog view: the set's mean weight and spread from the catalog;
//  - measured view: what the cart measured when each unit went in (only for
//    removals; by-weight bags have no useful catalog spread, so only this).
// "fit"  = fits in every view that applies;
// "miss" = misses in every view that applies;
// otherwise "grey".

export const TOL = {
  // fits: measured within 1.2 % + 6 g (cell gain errors below 1 %, noise
  // averaged over a rest), catalog within 2.5 sd plus the same allowance.
  // Honest units are drawn within 2 sd, so they always fit.
  fitRel: 0.012, fitAbs: 6, fitSd: 2.5,
  // misses: measured more than max(12 g, 3 %) off; catalog more than
  // 4 sd + max(12 g, 2.5 %) off. A firmware would need a tolerance looser
  // than that to call it a fit. Between the bands lies the grey zone.
  missRelMeas: 0.03, missAbs: 12, missSd: 4, missRelCat: 0.025,
};

/** One member of a set: a product, plus a measured weight when known. */
function memberStats(m) {
  const p = m.product;
  if (m.measuredOnly) {
    // a pack someone took part of: the catalog no longer describes it
    return { mean: m.grams, varc: 0, meas: m.grams };
  }
  if (p.byWeight) {
    // a bag's catalog spread says nothing about this bag; without a
    // measurement a by-weight item fits a wide range
    if (m.grams !== undefined) return { mean: m.grams, varc: 0, meas: m.grams };
    return { mean: p.grams, varc: p.gramsSd ** 2, meas: undefined };
  }
  return { mean: p.grams, varc: p.gramsSd ** 2, meas: m.grams };
}

/** classify weight R against a set of members: 'fit' | 'miss' | 'grey' */
export function classify(R, members) {
  let mean = 0, varc = 0, meas = 0, hasMeas = members.length > 0;
  for (const m of members) {
    const s = memberStats(m);
    mean += s.mean; varc += s.varc;
    if (s.meas === undefined) hasMeas = false; else meas += s.meas;
  }
  const sd = Math.sqrt(varc);
  const dc = Math.abs(R - mean);
  const catFit = dc <= TOL.fitSd * sd + TOL.fitRel * R + TOL.fitAbs;
  const catMiss = dc > TOL.missSd * sd + Math.max(TOL.missAbs, TOL.missRelCat * Math.max(R, mean));
  let fit = catFit, miss = catMiss;
  if (hasMeas) {
    const dm = Math.abs(R - meas);
    fit = fit && dm <= TOL.fitRel * R + TOL.fitAbs;
    miss = miss && dm > Math.max(TOL.missAbs, TOL.missRelMeas * Math.max(R, meas));
  }
  return fit ? 'fit' : miss ? 'miss' : 'grey';
}

/** key of a multiset of products: sorted GTINs with counts */
export function keyOf(members) {
  return members.map((m) => m.product.gtin).sort().join('+');
}

/**
 * Every distinct product-multiset among sub-sets of `members` (size 1..maxK,
 * plus the empty set), with the best verdict over the ways of forming it:
 * 'fit' if any way fits, 'miss' if every way misses, else 'grey'.
 * Members are pruned by a lower bound so large baskets stay cheap.
 */
export function verdicts(R, members, maxK = 5) {
  const items = members.map((m) => {
    const s = memberStats(m);
    const lo = Math.min(s.meas ?? Infinity, s.mean - 5 * Math.sqrt(s.varc));
    return { m, lo: Math.max(0, lo) };
  }).sort((a, b) => a.lo - b.lo);
  const limit = R * 1.06 + 40;
  const out = new Map();
  const merge = (key, v) => {
    const old = out.get(key);
    if (old === undefined) { out.set(key, v); return; }
    if (old === 'fit' || v === 'fit') out.set(key, 'fit');
    else if (old === 'grey' || v === 'grey') out.set(key, 'grey');
  };
  merge('', classify(R, []));
  const chosen = [];
  const walk = (start, lowSum) => {
    for (let i = start; i < items.length; i++) {
      const s = lowSum + items[i].lo;
      if (s > limit) break; // sorted by lower bound: later ones are heavier
      chosen.push(items[i].m);
      merge(keyOf(chosen), classify(R, chosen));
      if (chosen.length < maxK) walk(i + 1, s);
      chosen.pop();
    }
  };
  walk(0, 0);
  return out;
}

/**
 * An add: weight W came to rest; `candidates` are the products of scans that
 * may still be open (generously: anything scanned in the last 60 s and not
 * used by an earlier add). trueKey is what truly explains W ('' = nothing).
 * Returns true when exactly that explanation fits and every other misses.
 */
export function addIsClear(W, candidates, trueKey) {
  const v = verdicts(W, candidates.map((p) => ({ product: p })), 6);
  if (trueKey !== '' && v.get(trueKey) !== 'fit') return false;
  for (const [key, verdict] of v) if (key !== trueKey && verdict !== 'miss') return false;
  return true;
}

/**
 * A removal of R grams. basket: charged units {product, grams};
 * others: units physically in the cart but not charged (unscanned,
 * mismatching) - counted only to keep clear of grey zones.
 * Returns 'clear' (only trueKey fits), 'ambiguous' (two or more charged
 * multisets fit), 'unknown' (nothing fits), or 'grey'.
 */
export function removalVerdict(R, basket, others, trueKey) {
  const vb = verdicts(R, basket);
  const fits = [...vb].filter(([k, v]) => k !== '' && v === 'fit').map(([k]) => k);
  const va = others.length ? verdicts(R, basket.concat(others)) : vb;
  const nonMiss = [...va].filter(([k, v]) => k !== '' && v !== 'miss').map(([k]) => k);
  if (trueKey && fits.length === 1 && fits[0] === trueKey && nonMiss.length === 1) return 'clear';
  if (fits.length >= 2) return 'ambiguous';
  if (nonMiss.length === 0) return 'unknown';
  return 'grey';
}

/** an honest unit's weight: near its catalog mean, never in the tails */
export function drawUnitGrams(rng, product) {
  let g;
  if (product.byWeight) {
    // a bag of produce: anywhere from a small to a large bag, but inside
    // mean -1.8 sd .. +2 sd so every firmware accepts it as that product
    g = rng.truncNormal(product.grams, product.gramsSd, 1.8);
    g = Math.max(g, 60);
  } else {
    g = rng.truncNormal(product.grams, product.gramsSd, 2.0);
  }
  return Math.round(g * 10) / 10;
}
