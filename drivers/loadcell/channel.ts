// One corner of the basket: a board, what has gone wrong with it, and when to
// try it again. Every fault is counted; each episode of a fault is logged
// when it begins and when it clears, never per sample.
import type { Seconds } from '../../firmware/domain.js';
import type { Logger } from '../../firmware/log.js';
import { BoardError, HX711_SETTLE_SEC, isSaturated, type BoardErrorKind, type LoadCellBoard } from './board.js';

export type ChannelName = 'fl' | 'fr' | 'rl' | 'rr';
/** Basket corners in cart-trace channel order: front-left, front-right, rear-left, rear-right. */
export const CHANNEL_NAMES: readonly ChannelName[] = ['fl', 'fr', 'rl', 'rr'];

export type FaultKind = BoardErrorKind | 'stuck' | 'saturated';
const FAULT_KINDS: readonly FaultKind[] = ['io', 'no-answer', 'bad-answer', 'no-cell', 'stuck', 'saturated'];
const READ_FAULTS: readonly FaultKind[] = ['io', 'no-answer', 'bad-answer', 'no-cell'];

/**
 * - ok: the last sample carried a value and no fault is under way.
 * - warning: a fault is under way but the channel is still read every tick
 *   (a failed read being retried, a saturated cell), or it has no value yet.
 * - failed: the channel gives null and is retried with backoff.
 */
export type ChannelStatus = 'ok' | 'warning' | 'failed';

export interface FaultCount {
  /** Failed reads (io, no-answer, bad-answer, no-cell) or affected samples (stuck, saturated). */
  count: number;
  episodes: number;
  active: boolean;
}

export interface ChannelHealth {
  channel: ChannelName;
  board: string;
  status: ChannelStatus;
  /** Samples that carried a value. */
  values: number;
  /** Samples that carried null. */
  nulls: number;
  faults: Record<FaultKind, FaultCount>;
  lastError: { kind: FaultKind; message: string; atSec: Seconds } | null;
  /** While failed: when the board is tried next. */
  retryAtSec: Seconds | null;
}

/** Failed reads in a row after which the channel is failed. At 80 Hz: under 40 ms of samples. */
const FAIL_AFTER_READS = 3;
/**
 * An HX711 on a load cell never gives the same 24-bit value for long: its
 * own input noise is some 50 nV rms at 10 SPS (HX711 datasheet), about 20
 * counts at gain 128. A value unchanged for this long comes from a board
 * that has stopped converting.
 */
export const STUCK_AFTER_SEC: Seconds = 2;
const BACKOFF_FIRST_SEC: Seconds = 0.1;
const BACKOFF_MAX_SEC: Seconds = 5;

function asBoardError(err: unknown): BoardError {
  return err instanceof BoardError ? err : new BoardError('io', (err as Error).message);
}

export class LoadCellChannel {
  private readonly faults = Object.fromEntries(
    FAULT_KINDS.map((kind) => [kind, { count: 0, episodes: 0, active: false }]),
  ) as Record<FaultKind, FaultCount>;
  private readonly episodeStart = new Map<FaultKind, { atSec: Seconds; count: number }>();
  private lastError: ChannelHealth['lastError'] = null;
  private values = 0;
  private nulls = 0;
  private lastSampleNull = true;

  private needsInit = true;
  private failed = false;
  private failuresInARow = 0;
  private backoffStep = 0;
  /** No bus traffic before this time: backing off, or the HX711 settling after init. */
  private quietUntilSec: Seconds | null = null;
  private lastRaw: number | null = null;
  private sameSinceSec: Seconds = 0;

  constructor(
    readonly name: ChannelName,
    private readonly board: LoadCellBoard,
    private readonly log: Logger,
  ) {}

  /** One sample of this channel at `atSec`: the board's conversion, or null when there is none to trust. */
  async read(atSec: Seconds): Promise<number | null> {
    const value = await this.attempt(atSec);
    if (value === null) this.nulls++;
    else this.values++;
    this.lastSampleNull = value === null;
    return value;
  }

  /** Failed: giving null and retried with backoff. */
  get isFailed(): boolean {
    return this.failed;
  }

  /** The bus was just reopened: a failed board is set up again at its next read, not at the end of its backoff. */
  retryNow(): void {
    if (this.failed) this.quietUntilSec = null;
  }

  health(): ChannelHealth {
    const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, { ...this.faults[k] }])) as Record<FaultKind, FaultCount>;
    const underWay = FAULT_KINDS.some((k) => this.faults[k].active);
    return {
      channel: this.name,
      board: this.board.label,
      status: this.failed ? 'failed' : underWay || this.lastSampleNull ? 'warning' : 'ok',
      values: this.values,
      nulls: this.nulls,
      faults,
      lastError: this.lastError && { ...this.lastError },
      retryAtSec: this.failed ? this.quietUntilSec : null,
    };
  }

  private async attempt(atSec: Seconds): Promise<number | null> {
    if (this.quietUntilSec !== null && atSec < this.quietUntilSec) return null;
    let raw: number;
    try {
      if (this.needsInit) {
        await this.board.init();
        this.needsInit = false;
        this.quietUntilSec = atSec + HX711_SETTLE_SEC;
        // Retries of a failed board repeat quietly; its recovery is logged when a value comes.
        const facts = { channel: this.name, board: this.board.label, settleSec: HX711_SETTLE_SEC };
        if (this.failed) this.log.debug('load cell board set up again', facts);
        else this.log.info('load cell board set up', facts);
        return null;
      }
      raw = await this.board.readRaw();
    } catch (err) {
      this.readFailed(asBoardError(err), atSec);
      return null;
    }
    this.failuresInARow = 0;
    for (const kind of READ_FAULTS) this.clear(kind, atSec);

    if (this.isStuck(raw, atSec)) {
      this.occur('stuck', `${this.board.label} has given ${raw} for ${(atSec - this.sameSinceSec).toFixed(1)} s`, atSec);
      this.fail('stuck', atSec);
      return null;
    }
    this.clear('stuck', atSec);
    if (isSaturated(raw)) this.occur('saturated', `${this.board.label} reads ${raw}, the HX711's limit`, atSec);
    else this.clear('saturated', atSec);

    this.failed = false;
    this.backoffStep = 0;
    this.quietUntilSec = null;
    return raw;
  }

  private isStuck(raw: number, atSec: Seconds): boolean {
    // A saturated HX711 repeats its limit; that is saturation, not a stuck board.
    if (raw !== this.lastRaw || isSaturated(raw)) {
      this.lastRaw = raw;
      this.sameSinceSec = atSec;
      return false;
    }
    return atSec - this.sameSinceSec >= STUCK_AFTER_SEC;
  }

  private readFailed(err: BoardError, atSec: Seconds): void {
    this.failuresInARow++;
    this.occur(err.kind, err.message, atSec, err.code);
    if (this.failed) this.backOff(atSec);
    else if (this.failuresInARow >= FAIL_AFTER_READS) this.fail(err.kind, atSec);
  }

  private fail(kind: FaultKind, atSec: Seconds): void {
    if (this.failed) {
      this.backOff(atSec);
      return;
    }
    this.failed = true;
    // The board may have lost power or hung: set it up again before trusting it.
    this.needsInit = true;
    this.backOff(atSec);
    this.log.error('load cell failed; its samples are null until it recovers', {
      channel: this.name,
      board: this.board.label,
      fault: kind,
      retryInSec: Number(((this.quietUntilSec ?? atSec) - atSec).toFixed(3)),
    });
  }

  /** Capped exponential backoff with jitter, so that boards sharing the bus do not retry in step. */
  private backOff(atSec: Seconds): void {
    const delaySec = Math.min(BACKOFF_MAX_SEC, BACKOFF_FIRST_SEC * 2 ** this.backoffStep) * (0.8 + 0.4 * Math.random());
    this.backoffStep++;
    this.quietUntilSec = atSec + delaySec;
  }

  private occur(kind: FaultKind, message: string, atSec: Seconds, code?: string): void {
    const fault = this.faults[kind];
    fault.count++;
    this.lastError = { kind, message, atSec };
    if (fault.active) return;
    fault.active = true;
    fault.episodes++;
    this.episodeStart.set(kind, { atSec, count: fault.count - 1 });
    this.log.warn('load cell fault', { channel: this.name, board: this.board.label, fault: kind, code, error: message });
  }

  private clear(kind: FaultKind, atSec: Seconds): void {
    const fault = this.faults[kind];
    if (!fault.active) return;
    fault.active = false;
    const start = this.episodeStart.get(kind);
    this.log.info('load cell fault cleared', {
      channel: this.name,
      board: this.board.label,
      fault: kind,
      count: start && fault.count - start.count,
      durationSec: start && Number((atSec - start.atSec).toFixed(3)),
    });
  }
}
