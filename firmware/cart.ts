// The cart's pipeline in one place: samples and serial bytes in, through the
// weight and barcode stages, to the reconciler and the SQLite store. The same
// object runs on the cart, in the demo and in a replay; only where the inputs
// come from differs. Effects (LEDs, store sync) hear about decisions only
// after they are committed.
import type { BasketStore, Committed } from './storage/basket-store.js';
import { faultMeaning, storageFaultOf } from './storage/faults.js';
import { reconcile } from './basket/reconciler.js';
import type { BasketInput, Catalog, Decision, ReconcilerConfig } from './basket/types.js';
import type { ButtonPress, LoadSample, Seconds, WeightEvent } from './domain.js';
import type { ScanStage, ScanStageOutput } from './barcode/stage.js';
import type { Logger } from './log.js';
import type { Frame } from '../drivers/scanner/scanner.js';
import { GuessGate, type GateOptions } from './vision/gate.js';

export interface WeightStage {
  push(sample: LoadSample): readonly WeightEvent[];
}


export interface CartDeps {
  weight: WeightStage;
  scans: ScanStage;
  store: BasketStore;
  catalog: Catalog;
  config: ReconcilerConfig;
  log: Logger;
  onCommitted?: (committed: Committed) => void;
  /** A scan that could not be read as a code: nothing is committed, but the scanner may be waiting for an answer. */
  onScanRejected?: () => void;
  /** The cameras: a settled weight change waits (briefly) for their guess. */
  vision?: GateOptions;
  /** Space held beside the database: given back when a commit finds the disk full. */
  reserve?: { release(): boolean };
}

/**
 * Open scans expire with time, and a weight change held for the rest of its item
 * (basket.continuationSec) is alerted once that time is up: four times a
 * second keeps that alert within a quarter second of when it is due.
 */
const tickEverySec = 0.25;

/**
 * Inputs held in memory while the database cannot be written. A trip makes a
 * few hundred (ticks are folded into one); past this many the oldest are
 * dropped, with a count in the log, rather than the process running out of memory.
 */
const maxHeldInputs = 10_000;

export class Cart {
  #lastTickSec = -Infinity;
  readonly #log: Logger;
  readonly #gate: GuessGate | null;
  /** Inputs not yet committed because the database could not be written, oldest first. */
  #held: BasketInput[] = [];
  #heldSinceSec: Seconds = 0;
  #heldDropped = 0;
  #lastAtSec: Seconds = 0;

  constructor(private readonly deps: CartDeps) {
    this.#log = deps.log;
    this.#gate = deps.vision ? new GuessGate(deps.vision, (input) => this.apply(input), deps.log.child('vision')) : null;
  }

  sample(sample: LoadSample): void {
    // Indexed: a for-of allocates an iterator a sample until V8 has optimised this (scale.ts).
    const events = this.deps.weight.push(sample);
    for (let i = 0; i < events.length; i++) this.#input(events[i]!);
    const scans = this.deps.scans.idle(sample.atSec);
    for (let i = 0; i < scans.length; i++) this.#scan(scans[i]!);
    this.#gate?.timePassed(sample.atSec);
    if (sample.atSec - this.#lastTickSec >= tickEverySec) {
      this.#lastTickSec = sample.atSec;
      this.#input({ kind: 'tick', atSec: sample.atSec });
    }
  }

  /** Resolves once no weight change waits for the cameras' guess. */
  settled(): Promise<void> {
    return this.#gate?.settled() ?? Promise.resolve();
  }

  serial(bytes: Buffer, atSec: Seconds): void {
    for (const scan of this.deps.scans.push(bytes, atSec)) this.#scan(scan);
  }

  frame(frame: Frame): void {
    for (const scan of this.deps.scans.frame(frame)) this.#scan(scan);
  }

  button(press: ButtonPress): void {
    this.#input(press);
  }

  /** Inputs from the devices go in order, behind a weight change that waits for its guess. */
  #input(input: BasketInput): void {
    if (this.#gate) this.#gate.input(input);
    else this.apply(input);
  }

  #scan(scan: ScanStageOutput): void {
    if (scan.kind === 'rejected') {
      this.#log.warn('scan rejected; nothing added, the shopper can scan again', { code: scan.code, reason: scan.reason });
      this.deps.onScanRejected?.();
      return;
    }
    this.#log.info('scan read', { code: scan.code, kind: scan.kind });
    this.#input(scan);
  }

  /** Inputs waiting in memory for the database to take writes again; 0 when everything is saved. */
  get heldInputs(): number {
    return this.#held.length;
  }

  /**
   * Reconcile one input and commit the outcome before anyone hears of it.
   * When the database cannot be written (a full disk, an I/O error), the
   * input is held, in order behind any already held, and committed once a
   * write succeeds; null then, as for an input that changed nothing.
   */
  apply(input: BasketInput): Committed | null {
    this.#logInput(input);
    if (this.#held.length > 0) {
      this.#hold(input);
      this.#commitHeld();
      return null;
    }
    try {
      return this.#commit(input);
    } catch (err) {
      const fault = storageFaultOf(err);
      if (!fault) throw err;
      if (fault === 'full' && this.deps.reserve?.release()) {
        try {
          return this.#commit(input);
        } catch (again) {
          if (!storageFaultOf(again)) throw again;
        }
      }
      this.#heldSinceSec = input.atSec;
      this.#hold(input);
      this.#log.error(`cannot save the basket: ${faultMeaning[fault]}; inputs are held in memory, in order, and saved when the database takes writes again; the light shows the cart out of order meanwhile`,
        { error: (err as Error).message });
      return null;
    }
  }

  #hold(input: BasketInput): void {
    // Time passing twice in a row says no more than its second time.
    if (input.kind === 'tick' && this.#held.at(-1)?.kind === 'tick') this.#held[this.#held.length - 1] = input;
    else this.#held.push(input);
    if (this.#held.length > maxHeldInputs) {
      this.#held.shift();
      if (this.#heldDropped++ === 0) this.#log.error('too many inputs held while the database cannot be written: the oldest are lost from now on', { held: maxHeldInputs });
    }
  }

  /** Commits held inputs in order until one fails again. */
  #commitHeld(): void {
    const count = this.#held.length;
    while (this.#held.length > 0) {
      try {
        this.#commit(this.#held[0]!);
      } catch (err) {
        if (!storageFaultOf(err)) {
          this.#log.error('a held input could not be handled; it is dropped and the next is saved', { kind: this.#held[0]!.kind, error: (err as Error).message });
        } else {
          return;
        }
      }
      this.#held.shift();
    }
    this.#log.info('database takes writes again; every held input is saved', { inputs: count, heldSec: round3(this.#lastAtSec - this.#heldSinceSec), lost: this.#heldDropped });
    this.#heldDropped = 0;
  }

  #commit(input: BasketInput): Committed | null {
    this.#lastAtSec = input.atSec;
    const outcome = reconcile(this.deps.store.state, input, this.deps.catalog, this.deps.config);
    const committed = this.deps.store.commit(input, outcome);
    if (!committed) return null;
    for (const d of committed.decisions) this.#logDecision(d);
    this.deps.onCommitted?.(committed);
    return committed;
  }

  #logInput(input: BasketInput): void {
    if (input.kind === 'stable-delta') {
      const seen = input.guess?.top[0];
      this.#log.info('weight change', { grams: round1(input.grams), sd: round1(input.sdGrams), restAt: round3(input.restAtSec), seen: seen?.gtin, seenScore: seen && round3(seen.score) });
    } else if (input.kind === 'scale-status') {
      this.#log.info('scale status', { state: input.state, deadChannels: input.deadChannels.join(',') || 'none' });
    }
  }

  #logDecision(d: Decision): void {
    const name = (gtin: string) => this.deps.catalog.get(gtin)?.name;
    switch (d.kind) {
      case 'add':
        this.#log.info('item added', { gtin: d.gtin, name: name(d.gtin), grams: round1(d.grams), why: d.reason.rule });
        break;
      case 'remove':
        this.#log.info('item removed', { gtin: d.gtin, name: name(d.gtin), grams: round1(d.grams), why: d.reason.rule });
        break;
      case 'alert':
        this.#log.warn('alert raised; the shopper is asked to check the basket', { alert: d.alert, grams: round1(d.grams), likely: d.likelyGtin, why: d.reason.rule });
        break;
      case 'alert-resolved':
        this.#log.info('alert resolved', { alert: d.alert, why: d.reason.rule });
        break;
      case 'personal-item':
        this.#log.info('personal item, not charged', { grams: round1(d.grams) });
        break;
      case 'scan-expired':
        this.#log.info('scan expired with nothing placed', { gtin: d.gtin });
        break;
      case 'no-item':
        this.#log.info('weight change taken for no item, not alerted', { grams: round1(d.grams), why: d.reason.rule });
        break;
      case 'scan-ignored':
        this.#log.info('scan adds nothing', { code: d.code, why: d.reason.rule });
        break;
      case 'basket-restored':
        this.#log.warn('basket taken back from the store after the database was set aside', { units: d.units });
        break;
      case 'help-requested':
        this.#log.warn('shopper asked for help');
        break;
      case 'scan-open':
        this.#log.debug('scan waiting for its item', { gtin: d.gtin });
        break;
    }
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
