// Reads the four corners at a steady rate and hands out LoadSamples.
//
// Tick k is due at start + k/rateHz, on an ideal timeline, so timer delays
// never add up to drift. A tick reads all four boards side by side and the
// sample is the set of their answers, stamped with the clock when the tick
// began: a LoadSample is one conversion of every corner at one moment, which
// the weight stage needs to place a load on the basket floor. If a tick comes
// while the previous one is still reading, it is skipped, not queued: no
// pile-up, and never two reads of one board under way. If the event loop
// stalls, the ticks it slept through are counted and not made up.
import type { LoadSample, Seconds } from '../../firmware/domain.js';
import type { Logger } from '../../firmware/log.js';
import type { BusHealth, BusRecovery } from './bus-recovery.js';
import type { ChannelHealth, ChannelName, ChannelStatus, LoadCellChannel } from './channel.js';

export interface SamplingHealth {
  rateHz: number;
  samples: number;
  /** Ticks skipped because the previous tick's reads had not finished (slow bus or board). */
  ticksSkippedBusy: number;
  /** Ticks that went by while the timer could not run (a stalled event loop). */
  ticksMissedLate: number;
  /** Longest time between two consecutive samples. */
  maxGapSec: Seconds;
  /** Longest time one tick took to read all four boards. */
  maxReadSec: Seconds;
  lastSampleAtSec: Seconds | null;
}

export interface ScaleHardwareHealth {
  /**
   * ok: all four corners give values on time. warning: something is wrong
   * but the weight can still be measured, on three corners at worst
   * (degraded). failed: two or more corners give no values.
   */
  status: ChannelStatus;
  failedChannels: ChannelName[];
  channels: ChannelHealth[];
  sampling: SamplingHealth;
  /** The shared I2C bus: reopened when all four corners fail (bus-recovery.ts). */
  bus: BusHealth;
}

export interface SamplerOptions {
  rateHz: number;
  /** Monotonic seconds, e.g. () => performance.now() / 1000. */
  clock: () => Seconds;
  log: Logger;
  busRecovery: BusRecovery;
}

/** A stall or a run of skipped ticks is over once this long has gone by without another. */
const QUIET_SEC: Seconds = 1;
/** A stall at least this long is logged; shorter ones are only counted. */
const STALL_LOG_SEC: Seconds = 0.1;

export type SampleListener = (sample: LoadSample) => void;

export class LoadCellSampler {
  private readonly periodSec: Seconds;
  private readonly clock: () => Seconds;
  private readonly log: Logger;
  private readonly busRecovery: BusRecovery;
  private readonly listeners = new Set<SampleListener>();
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private startSec: Seconds = 0;
  // Episodes of lateness and of skipping, for the log and the status: each
  // begins at its first late or skipped tick and ends after a quiet second.
  private lastLateSec: Seconds | null = null;
  private lastSkipSec: Seconds | null = null;
  private readonly sampling: SamplingHealth;

  constructor(
    private readonly channels: readonly LoadCellChannel[],
    options: SamplerOptions,
  ) {
    this.periodSec = 1 / options.rateHz;
    this.clock = options.clock;
    this.log = options.log;
    this.busRecovery = options.busRecovery;
    this.sampling = {
      rateHz: options.rateHz,
      samples: 0,
      ticksSkippedBusy: 0,
      ticksMissedLate: 0,
      maxGapSec: 0,
      maxReadSec: 0,
      lastSampleAtSec: null,
    };
  }

  on(event: 'sample', listener: SampleListener): this {
    this.listeners.add(listener);
    return this;
  }

  start(): void {
    if (this.running) throw new Error('load cell sampler is already running');
    this.running = true;
    this.startSec = this.clock();
    this.log.info('sampling started', { rateHz: this.sampling.rateHz, channels: this.channels.length });
    this.schedule(0);
  }

  /** Stops the ticks and waits for reads under way to finish. No sample is emitted after it resolves. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.reading;
  }

  health(): ScaleHardwareHealth {
    const channels = this.channels.map((c) => c.health());
    const failedChannels = channels.filter((c) => c.status === 'failed').map((c) => c.channel);
    const anyWarning = channels.some((c) => c.status !== 'ok') || this.lastLateSec !== null || this.lastSkipSec !== null;
    return {
      status: failedChannels.length >= 2 ? 'failed' : anyWarning ? 'warning' : 'ok',
      failedChannels,
      channels,
      sampling: { ...this.sampling },
      bus: this.busRecovery.health(),
    };
  }

  private tickSec(k: number): Seconds {
    return this.startSec + k * this.periodSec;
  }

  private schedule(k: number): void {
    const delayMs = Math.max(0, (this.tickSec(k) - this.clock()) * 1000);
    this.timer = setTimeout(() => this.onTick(k), delayMs);
  }

  private onTick(k: number): void {
    this.timer = null;
    if (!this.running) return;
    const now = this.clock();
    // The latest tick whose time has come; a hair of slack so that float error does not lose a tick.
    const due = Math.floor((now - this.startSec) / this.periodSec + 1e-6);
    if (due < k) {
      // Timers can fire a fraction of a millisecond early by this clock.
      this.schedule(k);
      return;
    }
    this.noteLateness(due - k, now - this.tickSec(k), now);
    if (this.reading) {
      this.sampling.ticksSkippedBusy++;
      if (this.lastSkipSec === null) {
        this.log.warn('sampling behind: reads take longer than a tick; skipping ticks', { periodSec: Number(this.periodSec.toFixed(4)) });
      }
      this.lastSkipSec = now;
    } else {
      if (this.lastSkipSec !== null && now - this.lastSkipSec >= QUIET_SEC) {
        this.lastSkipSec = null;
        this.log.info('sampling keeps up again', { ticksSkippedBusy: this.sampling.ticksSkippedBusy });
      }
      this.reading = this.readAll(now).finally(() => {
        this.reading = null;
      });
    }
    this.schedule(due + 1);
  }

  private noteLateness(missed: number, lateSec: Seconds, now: Seconds): void {
    if (missed > 0) {
      this.sampling.ticksMissedLate += missed;
      // A few missed ticks are only counted in the health data; a stall long
      // enough to blur a weight change (a tenth of a second) is worth a line.
      if (lateSec < STALL_LOG_SEC) return;
      if (this.lastLateSec === null) {
        this.log.warn('sampling stalled: the timer ran late', { lateSec: Number(lateSec.toFixed(3)), ticksMissed: missed });
      }
      this.lastLateSec = now;
    } else if (this.lastLateSec !== null && now - this.lastLateSec >= QUIET_SEC) {
      this.lastLateSec = null;
      this.log.info('sampling on time again', { ticksMissedLate: this.sampling.ticksMissedLate });
    }
  }

  private async readAll(atSec: Seconds): Promise<void> {
    const raw = await Promise.all(this.channels.map((c) => c.read(atSec)));
    // Within the tick, so that no read runs while the bus is closed and opened again.
    if (await this.busRecovery.afterTick(atSec, this.channels.every((c) => c.isFailed))) {
      for (const channel of this.channels) channel.retryNow();
    }
    this.sampling.maxReadSec = Math.max(this.sampling.maxReadSec, this.clock() - atSec);
    if (!this.running) return;
    const last = this.sampling.lastSampleAtSec;
    if (last !== null) this.sampling.maxGapSec = Math.max(this.sampling.maxGapSec, atSec - last);
    this.sampling.lastSampleAtSec = atSec;
    this.sampling.samples++;
    const sample: LoadSample = { atSec, raw };
    for (const listener of this.listeners) {
      try {
        listener(sample);
      } catch (err) {
        this.log.error('a sample listener threw', { error: (err as Error).message });
      }
    }
  }
}
