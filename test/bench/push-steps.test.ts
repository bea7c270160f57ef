// push-steps.ts measures what a push does to nothing (docs/bench.md, the
// fourth simulator): only a change that holds a push, lasts 3 s or more and
// has no action of the truth's near it is such a step.
import t from 'tap';
import { pushSteps, type PushTruth } from './push-steps.js';

const truth: PushTruth = {
  basket: [],
  alerts: [],
  actions: [{ t: 40, restAt: 41, op: 'add', gtin: '05901234123457' }],
  motion: [[10, 20], [35, 45]],
};
const change = (beganAtSec: number, restAtSec: number, grams = 6, sdGrams = 2) => ({ grams, sdGrams, beganAtSec, restAtSec });

t.test('a push with nothing done is a step, in the scale sd', async (t) => {
  t.same(pushSteps([change(9, 21, -6, 2)], truth), [{ z: -3, grams: -6 }]);
});

t.test('what is no push, too short, or near an action is left out', async (t) => {
  t.same(pushSteps([change(22, 30)], truth), [], 'no push in its span');
  t.same(pushSteps([change(18, 20.5)], truth), [], 'shorter than 3 s');
  t.same(pushSteps([change(34, 39.6)], truth), [], 'an action begins within 0.5 s of its rest');
  t.same(pushSteps([change(9, 21)], { ...truth, motion: undefined }), [], 'a truth without pushes');
});
