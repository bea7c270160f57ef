// Which items or sets of items a weight change "fits", used to decide what
// a trace may be labelled with (and to avoid situations that cannot be
// labelled unambiguously).
//
// A candidate is a multiset of classes (a class is a product GTIN, or one
// uncharged unit known to the cart only by its measured weight). Its mean is
// the sum of the means, its variance the sum of the variances, plus the
// measurement uncertainty sm(w) = 2 g + 0.2 % of w (noise after averaging,
// wander, creep and drift during one event, gain/nonlinearity residuals).
//
//   fits          |w - mu| <= 3 * sqrt(var + sm^2)
//   clearly not   |w - mu| >  5 * sqrt(var + sm^2) + 5 g
//   otherwise     grey zone: a firmware could reasonably go either way.
//
// The simulator labels an event only if every candidate is clearly fitting
// or clearly not; grey candidates make it pick something else.

export function sigmaMeas(w) { return 2 + 0.002 * Math.abs(w); }

function canon(counts) {
  return Object.keys(counts).filter((k) => counts[k] > 0).sort().map((k) => `${k}x${counts[k]}`).join(',');
}

// classes: [{key, mu, sd, count}] ; w: the measured weight change (>0)
// returns { fit:Set<string>, grey:Set<string>, aborted:boolean }
export function classify(w, classes, maxNodes = 300000) {
  const sm2 = sigmaMeas(w) ** 2;
  const monotone = classes.every((c) => c.mu > 5 * c.sd + 5);
  const cls = classes.filter((c) => c.count > 0).slice().sort((a, b) => b.mu - a.mu);
  const fit = new Set(), grey = new Set();
  const counts = {};
  let nodes = 0, aborted = false;
  function judge(mu, v) {
    const s = Math.sqrt(v + sm2);
    const d = Math.abs(w - mu);
    if (d <= 3 * s) return 'fit';
    if (d > 5 * s + 5) return 'no';
    return 'grey';
  }
  function dfs(i, mu, v, any) {
    if (aborted) return;
    if (++nodes > maxNodes) { aborted = true; return; }
    if (i === cls.length) {
      if (!any) return;
      const j = judge(mu, v);
      if (j === 'fit') fit.add(canon(counts));
      else if (j === 'grey') grey.add(canon(counts));
      return;
    }
    const c = cls[i];
    for (let n = 0; n <= c.count; n++) {
      const mu2 = mu + n * c.mu, v2 = v + n * c.sd * c.sd;
      if (monotone && mu2 - (5 * Math.sqrt(v2 + sm2) + 5) > w) break; // heavier sets only get worse
      counts[c.key] = n;
      dfs(i + 1, mu2, v2, any || n > 0);
    }
    counts[c.key] = 0;
  }
  dfs(0, 0, 0, false);
  return { fit, grey, aborted };
}

export function multisetKey(keys) {
  const c = {};
  for (const k of keys) c[k] = (c[k] || 0) + 1;
  return canon(c);
}

// exactly the truth fits, nothing else fits or is grey
export function isUnique(res, truthKey) {
  if (res.aborted) return false;
  if (res.fit.size !== 1 || !res.fit.has(truthKey)) return false;
  for (const g of res.grey) if (g !== truthKey) return false;
  return true;
}
// nothing fits, nothing is grey
export function isNone(res) {
  return !res.aborted && res.fit.size === 0 && res.grey.size === 0;
}
// the truth and at least one other candidate clearly fit
export function isAmbiguous(res, truthKey) {
  return !res.aborted && res.fit.has(truthKey) && res.fit.size >= 2;
}
