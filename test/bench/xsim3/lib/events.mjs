// Physical events a unit (one item in the basket) goes through, as the
// planner decides them. Each event knows when it starts (t0) and when its
// last transient has died away (end): the planner needs `end` for the
// truth's restAt, the physics renders the event sample by sample.
//
// Positions are metres in the basket plane: x from the left side (0) to the
// right (0.5), y from the front (0) to the handle side (0.35).

const G = 9.81;

/**
 * How long an item takes to stop when it lands, by packaging. The wire
 * basket itself gives a little, so even a glass jar takes 20 ms or more.
 */
function stopTime(rng, shape) {
  switch (shape) {
    case 'can': case 'bottle': case 'jar': return rng.uniform(0.02, 0.05);
    case 'box': case 'tray': return rng.uniform(0.03, 0.07);
    default: return rng.uniform(0.06, 0.15); // soft packs, bags, produce
  }
}

/** an item put in by hand: lowered over a fraction of a second */
export function placeEvent(rng, t0, pos) {
  const dur = rng.uniform(0.25, 0.9);
  return {
    kind: 'land', mode: 'place', t0, dur, to: pos,
    wobble: rng.uniform(0.02, 0.05), wobbleHz: rng.uniform(2.5, 6),
    press: rng.uniform(0.02, 0.06), // the hand pushes a little before letting go
    end: t0 + dur + 0.18,
  };
}

/**
 * An item dropped (or tossed) from a height: an impact force far above its
 * weight for a few ms (half-sine, peak = π/2 · m·v/Δt), then the wire
 * basket rings at its own frequency. Hard packs may bounce once.
 */
export function dropEvent(rng, t0, pos, shape, tossed, grams) {
  // nobody drops a 9 kg pack from far up; heavy things are let go low
  const hMax = grams > 3000 ? 0.08 : tossed ? 0.4 : 0.25;
  const h = rng.uniform(0.03, hMax);
  const v = Math.sqrt(2 * G * h);
  const stopT = stopTime(rng, shape);
  const peak = (Math.PI / 2) * v / (G * stopT); // in multiples of the weight
  const ringA = rng.uniform(0.15, 0.8) * Math.min(v / 1.7, 1.5);
  const ringHz = rng.uniform(7, 16);
  const ringTau = rng.uniform(0.05, 0.18);
  const rigid = ['can', 'bottle', 'jar', 'box'].includes(shape);
  const bounce = rigid && rng.chance(0.25)
    ? { dt: rng.uniform(0.06, 0.2), frac: rng.uniform(0.1, 0.35) } : null;
  let end = t0 + Math.max(stopT, 6 * ringTau);
  if (bounce) end = Math.max(end, t0 + bounce.dt + stopT + 6 * ringTau);
  return {
    kind: 'land', mode: tossed ? 'toss' : 'drop', t0, to: pos, h, stopT, peak,
    ringA, ringHz, ringTau, bounce, end: end + 0.05,
  };
}

/** a can or bottle rolling across the basket until it hits a side */
export function rollEvent(rng, t0, from, to, withThud) {
  const dur = rng.uniform(0.4, 2.2);
  const thud = withThud
    ? { a: rng.uniform(0.08, 0.25), hz: rng.uniform(9, 15), tau: rng.uniform(0.04, 0.1) } : null;
  return { kind: 'roll', t0, dur, from, to, thud, end: t0 + dur + (thud ? 6 * thud.tau : 0) + 0.05 };
}

/** a soft pack or bag slumping after it lands: small, slow shift */
export function settleEvent(rng, t0, from, to) {
  const dur = rng.uniform(0.4, 1.4);
  return { kind: 'roll', t0, dur, from, to, thud: null, end: t0 + dur + 0.05 };
}

/** an item taken out by hand: a short grip (press), then lifted */
export function liftEvent(rng, t0) {
  const grip = rng.uniform(0.1, 0.25);
  const dur = rng.uniform(0.3, 0.9);
  return {
    kind: 'lift', t0, grip, dur, press: rng.uniform(0.02, 0.05),
    wobble: rng.uniform(0.02, 0.05), wobbleHz: rng.uniform(2.5, 6),
    end: t0 + grip + dur + 0.12,
  };
}

/** part of a pack taken out (one pot of four, one banana): fiddly, jostling */
export function partialEvent(rng, t0, grams) {
  const dur = rng.uniform(0.8, 2.5);
  return {
    kind: 'partial', t0, dur, grams,
    wobble: rng.uniform(0.03, 0.08), wobbleHz: rng.uniform(1.5, 4),
    end: t0 + dur + 0.15,
  };
}

/**
 * An item lifted and set down again elsewhere in one movement. It is off
 * the basket for at most 0.3 s and the hand keeps moving all the while, so
 * the basket never comes to rest without it: no action, nothing to alert.
 */
export function liftReturnEvent(rng, t0, to) {
  const up = rng.uniform(0.25, 0.4), hold = rng.uniform(0, 0.25), down = rng.uniform(0.25, 0.45);
  const thud = { a: rng.uniform(0.05, 0.2), hz: rng.uniform(9, 15), tau: rng.uniform(0.04, 0.08) };
  return {
    kind: 'liftReturn', t0, up, hold, down, to, thud,
    wobble: rng.uniform(0.03, 0.06), wobbleHz: rng.uniform(2.5, 6),
    end: t0 + up + hold + down + 6 * thud.tau + 0.05,
  };
}

/** an item pushed across the basket floor by hand */
export function slideEvent(rng, t0, from, to) {
  const dur = rng.uniform(0.5, 1.5);
  return {
    kind: 'slide', t0, dur, from, to, press: rng.uniform(0.03, 0.1),
    jerkHz: rng.uniform(3, 7), end: t0 + dur + 0.12,
  };
}

export function smoothstep(x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return x * x * (3 - 2 * x);
}
