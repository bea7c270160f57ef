// What the light and buzzer should say, from what was committed and how the
// cart is. Pure: committed decisions and status in, a light mode and cues out.
// Only committed decisions reach here, so "accepted" always means "saved".
import type { Decision } from '../basket/types.js';
import { cueRank, type BuzzerCue, type LightMode } from './patterns.js';

export interface CartCondition {
  /** The store link is up; shopping goes on without it, but the light says so. */
  storeOnline: boolean;
  /** The scale and the scanner work (health's verdict); if not, the cart is out of order. */
  fitToShop: boolean;
}

export interface FeedbackState {
  /** Alerts raised and not yet resolved: the light asks for attention while any is open. */
  openAlertIds: number[];
  condition: CartCondition;
}

export interface Cues {
  buzzer: BuzzerCue | null;
  /** Flash green over the resting light: something was saved to the basket. */
  flash: boolean;
}

export function lightMode(s: FeedbackState): LightMode {
  if (!s.condition.fitToShop) return 'maintenance';
  if (s.openAlertIds.length > 0) return 'attention';
  return s.condition.storeOnline ? 'ready' : 'offline';
}

const cueOf: Partial<Record<Decision['kind'], BuzzerCue>> = {
  add: 'accepted',
  'personal-item': 'accepted',
  remove: 'removed',
  alert: 'attention',
};

export function onCommitted(s: FeedbackState, decisions: readonly Decision[]): { state: FeedbackState; cues: Cues } {
  let open = s.openAlertIds;
  const wanted = new Set<BuzzerCue>();
  let flash = false;
  for (const d of decisions) {
    if (d.kind === 'alert') open = [...open, d.alertId];
    if (d.kind === 'alert-resolved') open = open.filter((id) => id !== d.alertId);
    if (d.kind === 'add' || d.kind === 'remove' || d.kind === 'personal-item') flash = true;
    const cue = cueOf[d.kind];
    if (cue) wanted.add(cue);
  }
  const buzzer = cueRank.find((c) => wanted.has(c)) ?? null;
  return { state: { ...s, openAlertIds: open }, cues: { buzzer, flash } };
}
