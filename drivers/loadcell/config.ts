// What a load cell setup must satisfy before anything is opened. Every
// problem is reported at once, each naming its key.
import { hex } from './board.js';
import { DFROBOT_ADDRESSES, DFROBOT_MAX_RATE_HZ } from './dfrobot.js';

export class LoadCellConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`load cell setup is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'LoadCellConfigError';
  }
}

export interface LoadCellSetup {
  board: string;
  /** Absent for a simulated bus. */
  busNumber?: number;
  addresses: readonly number[];
  rateHz: number;
}

/** Throws LoadCellConfigError listing every problem; returns quietly when there is none. */
export function checkLoadCellSetup(setup: LoadCellSetup): void {
  const problems: string[] = [];
  const { board, busNumber, addresses, rateHz } = setup;
  if (board !== 'dfrobot' && board !== 'm5stack') problems.push(`board: expected "dfrobot" or "m5stack" (got ${JSON.stringify(board)})`);
  if (busNumber !== undefined && !(Number.isInteger(busNumber) && busNumber >= 0)) problems.push(`busNumber: expected a whole number, 0 or more (got ${busNumber})`);
  if (addresses.length !== 4) problems.push(`addresses: expected 4, one per corner fl, fr, rl, rr (got ${addresses.length})`);
  addresses.forEach((a, i) => {
    if (!Number.isInteger(a) || a < 0x08 || a > 0x77) problems.push(`addresses[${i}]: expected a 7-bit device address 0x08-0x77 (got ${a})`);
    else if (board === 'dfrobot' && !DFROBOT_ADDRESSES.includes(a)) problems.push(`addresses[${i}]: a dfrobot board answers at 0x64-0x67 only (got ${hex(a)})`);
    else if (addresses.indexOf(a) !== i) problems.push(`addresses[${i}]: ${hex(a)} is already used by addresses[${addresses.indexOf(a)}]`);
  });
  if (!(Number.isFinite(rateHz) && rateHz > 0)) problems.push(`rateHz: expected a positive number (got ${rateHz})`);
  else if (board === 'dfrobot' && rateHz > DFROBOT_MAX_RATE_HZ) {
    problems.push(`rateHz: a dfrobot board needs 22 ms per read, so at most ${DFROBOT_MAX_RATE_HZ} Hz (got ${rateHz})`);
  }
  if (problems.length > 0) throw new LoadCellConfigError(problems);
}
