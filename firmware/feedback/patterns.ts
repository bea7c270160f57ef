// What the shopper sees and hears. One RGB status light and one active
// buzzer (it sounds while its pin is high, at its own pitch), so states are
// told apart by colour and rhythm. Patterns are plain data; the player walks
// them on timers.

export type Colour = 'off' | 'green' | 'amber' | 'red' | 'blue';

/** The light's resting states, most urgent last: the light shows the most urgent one that holds. */
export type LightMode = 'ready' | 'offline' | 'attention' | 'maintenance';

export interface Step<T> {
  value: T;
  ms: number;
}

export interface Pattern<T> {
  steps: Step<T>[];
  /** Repeats until replaced; otherwise plays once, then the output goes back to its resting pattern. */
  repeat: boolean;
}

const steady = (colour: Colour): Pattern<Colour> => ({ steps: [{ value: colour, ms: 60_000 }], repeat: true });
const blink = (colour: Colour, onMs: number, offMs: number): Pattern<Colour> => ({
  steps: [{ value: colour, ms: onMs }, { value: 'off', ms: offMs }],
  repeat: true,
});

export const lightPatterns: Record<LightMode, Pattern<Colour>> = {
  /** Steady green: scan and shop. */
  ready: steady('green'),
  /** Steady amber: shopping goes on, the store does not hear the cart right now. */
  offline: steady('amber'),
  /** Red, fast blink: something in the basket needs the shopper (an alert is open). */
  attention: blink('red', 250, 250),
  /** Blue, slow blink: the cart is out of order; staff, not the shopper. */
  maintenance: blink('blue', 1000, 1000),
};

/** Over the resting colour: two green flashes, "saved". */
export const acceptedFlash: Pattern<Colour> = {
  steps: [{ value: 'off', ms: 80 }, { value: 'green', ms: 150 }, { value: 'off', ms: 80 }, { value: 'green', ms: 150 }, { value: 'off', ms: 80 }],
  repeat: false,
};

export type BuzzerCue = 'accepted' | 'removed' | 'attention' | 'button';

/** Strongest first: when one commit calls for several cues, the first of these sounds. */
export const cueRank: readonly BuzzerCue[] = ['attention', 'removed', 'accepted', 'button'];

const beeps = (...ms: number[]): Pattern<boolean> => ({
  steps: ms.map((m, i) => ({ value: i % 2 === 0, ms: m })),
  repeat: false,
});

export const buzzerPatterns: Record<BuzzerCue, Pattern<boolean>> = {
  /** One short beep: an item was added and saved. */
  accepted: beeps(90),
  /** Two short beeps: an item was taken off the basket. */
  removed: beeps(70, 90, 70),
  /** Three long beeps: please look at the basket. */
  attention: beeps(350, 150, 350, 150, 350),
  /** A click: the button press was saved. */
  button: beeps(30),
};

/** Red, green and blue pin levels for a colour (a common-cathode LED, each colour through its own transistor). */
export const colourLevels: Record<Colour, readonly [0 | 1, 0 | 1, 0 | 1]> = {
  off: [0, 0, 0],
  green: [0, 1, 0],
  amber: [1, 1, 0],
  red: [1, 0, 0],
  blue: [0, 0, 1],
};
