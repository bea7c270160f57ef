// Applies the test input stream to a cart database until killed, resuming
// where the log ends, and reports each committed event_log sequence number.
import { reconcile } from '../../firmware/basket/reconciler.js';
import { defaultReconcilerConfig } from '../../firmware/basket/types.js';
import { silentLogger } from '../../firmware/log.js';
import { BasketStore } from '../../firmware/storage/basket-store.js';
import { openDatabase } from '../../firmware/storage/database.js';
import { inputAt, testCatalog } from './inputs.js';

const path = process.argv[2]!;
const { db } = openDatabase(path, silentLogger);
const store = new BasketStore(db);
let i = (db.prepare(`SELECT count(*) AS n FROM event_log WHERE kind = 'input'`).get() as { n: number }).n;
for (;;) {
  const input = inputAt(i++);
  const outcome = reconcile(store.state, input, testCatalog, defaultReconcilerConfig);
  const committed = store.commit(input, outcome);
  if (committed) process.stdout.write(`committed ${committed.seq}\n`);
}
