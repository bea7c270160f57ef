// Runs the store's commands. The link hands over the raw payload; this checks
// it (command-check.ts), does what it asks through the CartPort, and commits
// the outcome with its result message for the store (sync-store.ts). Commands
// that change the basket go through the cart (Cart.apply) or the scale, so
// that they are logged and committed like every other input; the link never
// touches the basket itself.
import type { KeyObject } from 'node:crypto';
import type { BasketState, StaffResolution } from '../basket/types.js';
import { levelRank, type LogLevel, type Logger } from '../log.js';
import type { BasketStore } from '../storage/basket-store.js';
import type { SetAside } from '../storage/set-aside.js';
import { checkCommand, type CommandMark } from './command-check.js';
import type { Command, DeviceHealth, RefusalReason } from './schemas.js';
import { sessionEndVerdict, sessionStartVerdict, type SessionVerdict } from './session-rules.js';
import type { StoreClock } from './store-clock.js';
import type { CommandEffect, QueuedResult, SyncStore } from './sync-store.js';

/** What the store link may ask of the cart; the service builds it from the cart, the scale and the devices. */
export interface CartPort {
  /** The basket as last committed. */
  basket(): BasketState;
  /** A staff decision on an alert, as a StaffResolution input through Cart.apply. */
  resolveAlert(resolution: Omit<StaffResolution, 'kind' | 'atSec'>): void;
  /** Sets the scale's zero; false when the basket is not at rest or a corner is dead. */
  tare(): boolean;
  devices(): DeviceHealth[];
  /** The calibration and configuration event counters (cart-cal's audit trail). */
  metrologyCounters(): { calibration: number; configuration: number };
  /** The technician holding the cart in maintenance, null when none: no session starts meanwhile. */
  maintenanceBy(): string | null;
  /** When an earlier, damaged database was set aside (null: never), for telemetry. */
  databaseSetAside?(): SetAside | null;
  /** Takes back the basket of the cart's last snapshot; false when the basket is no longer empty. */
  restoreBasket(lines: { gtin: string; qty: number; grams: number }[]): boolean;
}

export interface CommandHandlerDeps {
  cartId: string;
  port: CartPort;
  basket: BasketStore;
  sync: SyncStore;
  publicKey: KeyObject | null;
  clock: StoreClock;
  monoMs: () => number;
  outboxMaxRows: number;
  log: Logger;
}

interface Outcome {
  status: 'done' | 'refused';
  reason?: RefusalReason;
  detail?: string;
  effect?: CommandEffect;
  sessionId?: string;
  logLevel?: { from: LogLevel; to: LogLevel };
}

const refused = (v: Extract<SessionVerdict, { ok: false }>): Outcome => ({ status: 'refused', reason: v.reason, detail: v.detail });

export type Handled = { answered: true; seq: number; command: Command | null; status: 'done' | 'refused' } | { answered: false };

export class CommandHandler {
  constructor(private readonly d: CommandHandlerDeps) {}

  handle(payload: Buffer): Handled {
    const { d } = this;
    const mark = d.sync.commandMark();
    const checked = checkCommand(payload, { cartId: d.cartId, publicKey: d.publicKey, mark, nowMs: d.clock.nowMs(d.monoMs()) });
    if (checked.verdict === 'duplicate') {
      const kept = d.sync.keptResult();
      if (!kept) {
        d.log.warn('command came again but its result was not kept (the database predates kept results); not run again, not answered', { id: checked.id, seq: checked.seq });
        return { answered: false };
      }
      const seq = d.sync.recordCommand({ ...kept.result, repeatOf: kept.seq }, null, null);
      d.log.info('command came again; answered with its kept result, not run again', { id: checked.id, seq: checked.seq, status: kept.result.status, firstAnswerSeq: kept.seq });
      return { answered: true, seq, command: null, status: kept.result.status };
    }
    if (checked.verdict === 'refuse') {
      const result: QueuedResult = { commandId: checked.id, commandSeq: checked.seq, command: checked.type, status: 'refused', reason: checked.reason, detail: checked.detail };
      if (checked.field !== undefined) result.field = checked.field;
      const used: CommandMark | null = checked.authentic && checked.seq !== null ? { seq: checked.seq, id: checked.id } : null;
      const seq = d.sync.recordCommand(result.reason === 'replayed' ? { ...result, heldCommandSeq: mark.seq } : result, used, null);
      d.log.warn('command refused; nothing on the cart changed and the store gets the reason', {
        id: checked.id, seq: checked.seq, command: checked.type, reason: checked.reason, detail: checked.detail,
      });
      return { answered: true, seq, command: null, status: 'refused' };
    }
    const cmd = checked.command;
    const outcome = this.#run(cmd);
    const result: QueuedResult = { commandId: cmd.id, commandSeq: cmd.seq, command: cmd.command.type, status: outcome.status };
    if (outcome.reason) result.reason = outcome.reason;
    if (outcome.detail) result.detail = outcome.detail;
    if (outcome.sessionId) result.sessionId = outcome.sessionId;
    if (outcome.logLevel) result.logLevel = outcome.logLevel;
    const seq = d.sync.recordCommand(result, { seq: cmd.seq, id: cmd.id }, outcome.effect ?? null);
    const facts = { id: cmd.id, seq: cmd.seq, command: cmd.command.type, reason: outcome.reason, detail: outcome.detail };
    if (outcome.status === 'done') d.log.info('command done', facts);
    else d.log.warn('command refused by the cart\'s rules; the store gets the reason and may try again', facts);
    return { answered: true, seq, command: cmd, status: outcome.status };
  }

  #run(cmd: Command): Outcome {
    const { port, sync, basket } = this.d;
    const c = cmd.command;
    switch (c.type) {
      case 'session.start': {
        const v = sessionStartVerdict({
          basket: port.basket(),
          active: sync.activeSession(),
          locked: sync.locked(),
          maintenanceBy: port.maintenanceBy(),
          outboxFull: basket.outboxDepth() >= this.d.outboxMaxRows,
          alreadyEnded: sync.sessionEnded(c.sessionId),
        }, c.sessionId);
        if (!v.ok) return refused(v);
        return { status: 'done', sessionId: c.sessionId, ...(v.already ? {} : { effect: { kind: 'session-start', sessionId: c.sessionId, shopper: c.shopper } }) };
      }
      case 'session.end': {
        const v = sessionEndVerdict({
          basket: port.basket(),
          active: sync.activeSession(),
          lastEndedId: sync.lastEndedSessionId(),
          lastBasketSeq: basket.lastBasketSeq(),
        }, c.sessionId, c.finalSeq);
        if (!v.ok) return refused(v);
        return { status: 'done', sessionId: c.sessionId, ...(v.already ? {} : { effect: { kind: 'session-end', sessionId: c.sessionId } }) };
      }
      case 'tare':
        return port.tare() ? { status: 'done' } : { status: 'refused', reason: 'scale-not-stable', detail: 'the basket is not at rest, or a corner gives no readings' };
      case 'lock':
      case 'unlock':
        return { status: 'done', effect: { kind: 'lock', locked: c.type === 'lock' } };
      case 'alert.resolve': {
        if (!port.basket().openAlerts.some((a) => a.id === c.alertId)) return { status: 'refused', reason: 'unknown-alert', detail: `no open alert ${c.alertId}` };
        port.resolveAlert(c.gtin === undefined ? { alertId: c.alertId, action: c.action } : { alertId: c.alertId, action: c.action, gtin: c.gtin });
        return { status: 'done' };
      }
      case 'state.request':
        return { status: 'done' };
      case 'log.level': {
        const { log } = this.d;
        // The line goes out under whichever of the two levels is the more talkative, so that it shows if either shows info.
        const facts = { from: log.level(), to: c.level, id: cmd.id };
        const louder = levelRank[c.level] < levelRank[facts.from];
        if (!louder) log.info('log level changed by the store', facts);
        log.setLevel(c.level);
        if (louder) log.info('log level changed by the store', facts);
        return { status: 'done', logLevel: { from: facts.from, to: c.level } };
      }
    }
  }
}
