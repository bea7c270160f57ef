// The I2C bus of the four boards, and what is done when the bus itself is the
// fault. One board that fails takes out its corner; all four failing at once
// is the bus: SDA held low by a device that lost a transfer half way, or an
// adapter gone wrong. Then the bus is closed and opened again, with backoff,
// and each board is set up again on the fresh bus.
//
// What a reopen can clear: any state the host side holds for the bus, and
// the time it gives the devices. The M5Stack firmware re-initialises its own
// I2C peripheral after 0.5 s without a STOP (M5Unit-Miniscale-Internal-FW,
// weight-i2c-code/weight-i2c/Core/Src/main.c: i2c_stop_timeout_counter), so a
// unit that holds SDA lets go on its own; a device that never does needs a
// power cycle, and the recovery keeps trying, more slowly, meanwhile.
import type { Seconds } from '../../firmware/domain.js';
import type { Logger } from '../../firmware/log.js';
import type { I2cBus } from './i2c.js';

/** An I2cBus that forwards to the bus open now, and can close it and open it again. */
export class ReopenableBus implements I2cBus {
  constructor(
    private current: I2cBus,
    private readonly open: () => Promise<I2cBus>,
  ) {}

  /** Closes the bus and opens it again. Throws when it cannot be opened; the old one is closed either way. */
  async reopen(): Promise<void> {
    await this.current.close().catch(() => {});
    this.current = await this.open();
  }

  i2cWrite(address: number, length: number, buffer: Buffer) {
    return this.current.i2cWrite(address, length, buffer);
  }

  i2cRead(address: number, length: number, buffer: Buffer) {
    return this.current.i2cRead(address, length, buffer);
  }

  readI2cBlock(address: number, command: number, length: number, buffer: Buffer) {
    return this.current.readI2cBlock(address, command, length, buffer);
  }

  readByte(address: number, command: number) {
    return this.current.readByte(address, command);
  }

  writeByte(address: number, command: number, byte: number) {
    return this.current.writeByte(address, command, byte);
  }

  close() {
    return this.current.close();
  }
}

export interface BusHealth {
  /** ok, or recovering: all four corners have failed and the bus is being reopened. */
  status: 'ok' | 'recovering';
  reopens: number;
  /** Episodes of all four corners failing. */
  episodes: number;
  lastReopenAtSec: Seconds | null;
  /** While recovering: when the bus is reopened next. */
  nextReopenAtSec: Seconds | null;
}

/** Backoff between reopens while the bus stays dead: 1 s, 2, 4 ... 30 s. */
const REOPEN_FIRST_SEC: Seconds = 1;
const REOPEN_MAX_SEC: Seconds = 30;

export class BusRecovery {
  private readonly state: BusHealth = { status: 'ok', reopens: 0, episodes: 0, lastReopenAtSec: null, nextReopenAtSec: null };
  private episodeStart: { atSec: Seconds; reopens: number } | null = null;
  private step = 0;
  private openFailureLogged = false;

  constructor(
    private readonly bus: ReopenableBus,
    private readonly log: Logger,
  ) {}

  health(): BusHealth {
    return { ...this.state };
  }

  /**
   * After each tick: `allFailed` when every corner is failed. Reopens the bus
   * when it is time to; resolves true when it did, so the corners are tried
   * again at once.
   */
  async afterTick(atSec: Seconds, allFailed: boolean): Promise<boolean> {
    if (!allFailed) {
      this.endEpisode(atSec);
      return false;
    }
    if (this.episodeStart === null) {
      this.episodeStart = { atSec, reopens: this.state.reopens };
      this.state.status = 'recovering';
      this.state.episodes++;
      this.log.error('all four load cells failed: the I2C bus itself is suspect (SDA held low?); closing and reopening it', {
        retryMaxSec: REOPEN_MAX_SEC,
      });
    } else if (this.state.nextReopenAtSec !== null && atSec < this.state.nextReopenAtSec) {
      return false;
    }
    const delaySec = Math.min(REOPEN_MAX_SEC, REOPEN_FIRST_SEC * 2 ** this.step++);
    this.state.nextReopenAtSec = atSec + delaySec;
    this.state.lastReopenAtSec = atSec;
    this.state.reopens++;
    try {
      await this.bus.reopen();
      this.log.debug('I2C bus reopened', { reopens: this.state.reopens, nextInSec: delaySec });
      return true;
    } catch (err) {
      // Repeats are quiet: the episode's first line said what is going on.
      if (!this.openFailureLogged) this.log.error('I2C bus cannot be opened again; retrying', { error: (err as Error).message, nextInSec: delaySec });
      this.openFailureLogged = true;
      return false;
    }
  }

  private endEpisode(atSec: Seconds): void {
    const start = this.episodeStart;
    if (start === null) return;
    this.log.info('I2C bus answers again', {
      reopens: this.state.reopens - start.reopens,
      durationSec: Number((atSec - start.atSec).toFixed(3)),
    });
    this.episodeStart = null;
    this.step = 0;
    this.openFailureLogged = false;
    this.state.status = 'ok';
    this.state.nextReopenAtSec = null;
  }
}
