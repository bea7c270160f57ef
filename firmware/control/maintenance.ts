// Maintenance mode: one technician at a time holds the scale, and no shopping
// session runs beside it. The store link reads `active` to refuse a session
// start; the control server enters and leaves it for a connection, and leaves
// it when that connection goes away (an SSH session that drops).
export type MaintenanceVerdict = { ok: true } | { ok: false; reason: string };

export class Maintenance {
  #holder: string | null = null;
  #sinceSec: number | null = null;

  get active(): boolean {
    return this.#holder !== null;
  }

  /** The technician holding the cart, null when not in maintenance. */
  get holder(): string | null {
    return this.#holder;
  }

  get sinceSec(): number | null {
    return this.#sinceSec;
  }

  /** `shoppingSession`: the id of the shopping session under way, if any; a shopper's trip is never interrupted. */
  enter(technician: string, shoppingSession: string | null, atSec: number): MaintenanceVerdict {
    if (this.#holder !== null) return { ok: false, reason: `the cart is already in maintenance by ${this.#holder}` };
    if (shoppingSession !== null) return { ok: false, reason: `shopping session ${shoppingSession} is under way` };
    this.#holder = technician;
    this.#sinceSec = atSec;
    return { ok: true };
  }

  leave(): void {
    this.#holder = null;
    this.#sinceSec = null;
  }
}
