// A cart process that takes one signed full catalog and is killed by the test
// while it does (catalog-large.test.ts): argv is the database, the version and
// the number of products. It signs the catalog with a key of its own, so that
// nothing but the database passes between it and the test.
import { generateKeyPairSync } from 'node:crypto';
import { silentLogger } from '../../../firmware/log.js';
import { BasketStore, CatalogStore } from '../../../firmware/storage/basket-store.js';
import { openDatabase } from '../../../firmware/storage/database.js';
import { CatalogSync } from '../../../firmware/sync/catalog-sync.js';
import { signMessage } from '../../../firmware/sync/signing.js';
import { largeCatalog } from './catalogs.js';

const [path, version, products] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const keys = generateKeyPairSync('ed25519');
const { db } = openDatabase(path, silentLogger);
const sync = new CatalogSync({ db, catalog: new CatalogStore(db), basket: new BasketStore(db), publicKey: keys.publicKey, log: silentLogger, chunkRows: 100 });
const payload = Buffer.from(JSON.stringify(signMessage({ v: 1 as const, type: 'catalog.full' as const, version, products: largeCatalog(products, version) }, keys.privateKey)));
process.stdout.write(`${JSON.stringify(await sync.handle(payload, 'catalog'))}\n`);
await sync.stop();
db.close();
