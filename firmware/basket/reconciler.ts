// The cart's judgement: (state, input) -> (state, decisions). Pure: no clock,
// no I/O; the same inputs give the same basket every time, which is what lets
// the event log be replayed and a recorded trip be scored. This module takes
// each input to the rules that decide it and says when a held change is due;
// the rules are beside it, a module for each kind of evidence.
import type { Seconds, StableDelta } from '../domain.js';
import type { BasketInput, BasketRestore, BasketState, Catalog, Decision, ReconcilerConfig, StaffResolution } from './types.js';
import { closeAlert, newId } from './basket-edits.js';
import { alertHeld } from './change.js';
import { onChange, timeOutHeld } from './gesture.js';
import { expireScans, onScan, scanExplainsHeld, scanReclaimsAbsorbed } from './scans.js';
import { completeHeld, scannedItemIn } from './small-change.js';

export interface Outcome {
  state: BasketState;
  decisions: Decision[];
}

export function emptyBasket(): BasketState {
  return { nextId: 1, lastPlacement: null, lastAddAtSec: null, units: [], pendingScans: [], openAlerts: [], personalArmedAtSec: null, scaleState: 'stable', deadChannels: [] };
}

export function reconcile(state: BasketState, input: BasketInput, catalog: Catalog, config: ReconcilerConfig): Outcome {
  // Four ticks a second mostly find nothing due: the state is returned as it
  // is rather than copied (no caller changes a state it was given).
  if (input.kind === 'tick' && !heldIsDue(state, input.atSec, config) && !scanIsDue(state, input.atSec, config)) return { state, decisions: [] };
  // A scale status that brings no small change only sets top-level fields:
  // a shallow copy will do (most of a trip's inputs are these, and a deep
  // copy of a full basket was most of their cost).
  const s = input.kind === 'scale-status' && !input.smallChange ? { ...state } : structuredClone(state);
  const out: Decision[] = [];
  // Anything the shopper does next settles a held change first (a scan may be
  // its late scan), and ends the gesture the last change may have been part of.
  if (input.kind !== 'stable-delta' && input.kind !== 'tick' && input.kind !== 'scale-status') {
    const scannedHeld = input.kind === 'product-scan' && (scanExplainsHeld(s, input, catalog, config, out) || scanReclaimsAbsorbed(s, input, catalog, config, out));
    if (!scannedHeld) alertHeld(s, input.atSec, catalog, config, out);
    s.lastChange = null;
    s.lastGesture = null;
    s.heldTimedOut = null;
    if (scannedHeld) return { state: s, decisions: out };
  }
  switch (input.kind) {
    case 'product-scan':
      onScan(s, input, catalog, config, out);
      break;
    case 'store-code':
      out.push({ kind: 'scan-ignored', atSec: input.atSec, code: input.code, reason: { rule: `a ${input.purpose} code is not a product` } });
      break;
    case 'stable-delta': {
      expireScans(s, input.beganAtSec, config, out);
      const delta = { ...input, sdGrams: Math.max(input.sdGrams, config.measurementSdFloorGrams) };
      // Below the scale's own noise a change is settling, not an item; the floor is for matching only.
      if (Math.abs(input.grams) < Math.max(config.minChangeGrams, config.fitSigmas * input.sdGrams)) break;
      onChange(s, delta, catalog, config, out);
      break;
    }
    case 'scale-status': {
      const wasStill = isStill(s.scaleState);
      s.scaleState = input.state;
      s.deadChannels = input.deadChannels;
      if (!isStill(input.state)) {
        if (wasStill) {
          s.unstillSinceSec = input.changeBeganAtSec ?? input.atSec;
          s.pushedSinceRest = false;
        }
        if (input.state === 'moving') s.pushedSinceRest = true;
      } else {
        s.unstillSinceSec = null;
        s.pushedSinceRest = false;
      }
      if (input.smallChange) {
        const small = input.smallChange;
        const taken = completeHeld(s, small, input.atSec, catalog, config, out) || scannedItemIn(s, small, input.atSec, catalog, config, out);
        s.lastSmall = taken ? null : small;
        // An item taken in between: undoing a decision from before it would undo it too.
        if (taken) {
          s.heldTimedOut = null;
          s.lastGesture = null;
        }
      }
      break;
    }
    case 'button':
      if (!input.pressed) break;
      if (input.name === 'my-bag') s.personalArmedAtSec = input.atSec;
      else out.push({ kind: 'help-requested', atSec: input.atSec });
      break;
    case 'staff-resolution':
      onStaff(s, input, out);
      break;
    case 'basket-restore':
      onRestore(s, input, catalog, config, out);
      break;
    case 'tick': {
      // A wait that runs out at rest may have missed a slow change beginning; one that runs out in a push has seen it.
      if (heldIsDue(s, input.atSec, config)) (isStill(s.scaleState) ? timeOutHeld : alertHeld)(s, input.atSec, catalog, config, out);
      if (s.scaleState === 'stable') expireScans(s, input.atSec, config, out);
      break;
    }
  }
  return { state: s, decisions: out };
}

/** The held change has waited its time, and the basket did not leave rest in time for the rest of it: its alert is due. */
function heldIsDue(s: BasketState, atSec: Seconds, config: ReconcilerConfig): boolean {
  const held = s.heldChange;
  return !!held && atSec - held.restAtSec > heldWaitSec(held, config) && !mayContinue(s, held, config.continuationSec);
}

/** Weight put in may yet be scanned (scanAfterPlaceSec); any held change may yet be followed by the rest of its item (continuationSec). */
function heldWaitSec(held: StableDelta, config: ReconcilerConfig): Seconds {
  return held.grams > 0 ? Math.max(config.continuationSec, config.scanAfterPlaceSec) : config.continuationSec;
}

/** An open scan has waited longer than its window while the basket is at rest (what a tick expires). */
function scanIsDue(s: BasketState, atSec: Seconds, config: ReconcilerConfig): boolean {
  return s.scaleState === 'stable' && s.pendingScans.some((scan) => atSec - scan.atSec > config.scanWindowSec);
}

/**
 * The basket left rest in time for the rest of a held change: a hand letting
 * it down (a light item's slow let-down shows late, so the whole
 * continuationSec), or the cart set off while the hand still held the item,
 * within half of it (the rest lands during the push and is measured after
 * it). A push later than that was not the hand's doing, and the shopper is
 * told before it ends: the pauses of a push starting (the scale settling
 * between jolts) do not make it a hand again.
 */
function mayContinue(s: BasketState, held: StableDelta, continuationSec: Seconds): boolean {
  const leftAfterSec = (s.unstillSinceSec ?? Infinity) - held.restAtSec;
  if (s.scaleState === 'settling' && !s.pushedSinceRest) return leftAfterSec <= continuationSec;
  return (s.scaleState === 'moving' || s.scaleState === 'settling') && leftAfterSec <= continuationSec / 2;
}

function isStill(state: BasketState['scaleState']): boolean {
  return state === 'stable' || state === 'degraded';
}

/** Only an empty basket takes a restored one: anything the cart has seen since its start wins. */
function onRestore(s: BasketState, restore: BasketRestore, catalog: Catalog, config: ReconcilerConfig, out: Decision[]): void {
  if (s.units.length > 0 || s.openAlerts.length > 0) return;
  for (const line of restore.lines) {
    const sdGrams = Math.max(config.measurementSdFloorGrams, catalog.get(line.gtin)?.gramsSd ?? 0);
    for (let i = 0; i < line.qty; i++) {
      s.units.push({ id: newId(s), gtin: line.gtin, status: 'charged', grams: line.grams / line.qty, sdGrams, centre: null, addedAtSec: restore.atSec });
    }
  }
  out.push({ kind: 'basket-restored', atSec: restore.atSec, units: s.units.length });
}

function onStaff(s: BasketState, cmd: StaffResolution, out: Decision[]): void {
  const alert = s.openAlerts.find((a) => a.id === cmd.alertId);
  if (!alert) return;
  const unit = s.units.find((u) => u.alertId === alert.id);
  if (unit && cmd.action === 'accept-personal') {
    unit.status = 'personal';
    delete unit.alertId;
    out.push({ kind: 'personal-item', atSec: cmd.atSec, unitId: unit.id, grams: unit.grams, reason: { rule: 'staff accepted it as the shopper\'s own' } });
  }
  if (cmd.action === 'remove-line' && cmd.gtin) {
    const line = s.units.find((u) => u.status === 'charged' && u.gtin === cmd.gtin);
    if (line) {
      s.units = s.units.filter((u) => u !== line);
      out.push({ kind: 'remove', atSec: cmd.atSec, unitId: line.id, gtin: cmd.gtin, grams: line.grams, reason: { rule: 'staff removed the line' } });
    }
  }
  closeAlert(s, alert, out, cmd.atSec, `staff: ${cmd.action}`);
}
