// What a procedure tells the technician and asks of them. The terminal, the
// JSON line stream and the bench tests each implement it; the procedures
// never print.
import type { LiveReading } from '../../firmware/control/index.js';
import type { Placement } from '../metrology/placement.js';

export interface Instruction {
  /** 1-based, of `of` steps. */
  step: number;
  of: number;
  /** What the step belongs to: `span`, a verification test, ... */
  part: string;
  placement: Placement;
  text: string;
}

export interface Guide {
  /** Do this now; the procedure then waits for the scale to see it. */
  instruct(instruction: Instruction): void;
  /** Every reading while waiting, for a progress line. */
  waiting(reading: LiveReading): void;
  /** A result or a fact worth a line. */
  note(text: string): void;
  /** A yes/no question; `--yes` answers yes. */
  confirm(question: string): Promise<boolean>;
}
