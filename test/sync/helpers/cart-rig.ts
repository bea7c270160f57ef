// One cart for the sync tests: its SQLite database in a temp folder, the real
// reconciler, scale and store link, the store's public key on disk, and a
// shopper. Reopening a rig on the same folder is a restart of the cart.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cart } from '../../../firmware/cart.js';
import { createScanStage } from '../../../firmware/barcode/stage.js';
import { defaultReconcilerConfig } from '../../../firmware/basket/types.js';
import { parseConfig, type MqttConfig } from '../../../firmware/config.js';
import { createLogger, memorySink, type Logger } from '../../../firmware/log.js';
import { BasketStore, CatalogStore } from '../../../firmware/storage/basket-store.js';
import { openDatabase, type Db } from '../../../firmware/storage/database.js';
import type { DeviceHealth } from '../../../firmware/sync/schemas.js';
import { StoreLink } from '../../../firmware/sync/store-link.js';
import { Scale } from '../../../firmware/weight/scale.js';
import { Shopper, syncCatalog } from './shopper.js';

export interface RigOptions {
  url: string;
  storeId?: string;
  cartId?: string;
  protocolVersion?: 4 | 5;
  storePublicKeyPem: string;
  /** Reuse a folder: the same database, as after a restart. */
  dir?: string;
  mqtt?: Partial<MqttConfig>;
  /** Put the test catalog in at version 1 (default true). */
  catalog?: boolean;
}

export interface CartRig {
  dir: string;
  cartId: string;
  storeId: string;
  db: Db;
  basket: BasketStore;
  catalog: CatalogStore;
  cart: Cart;
  scale: Scale;
  link: StoreLink;
  shopper: Shopper;
  lines: string[];
  log: Logger;
  devices: DeviceHealth[];
  /** Feeds the scale a still, empty basket for `seconds`, so that it is at rest. */
  settleScale(seconds?: number): void;
  close(): Promise<void>;
}

export const fastReconnect: Partial<MqttConfig> = {
  minBackoffMs: 100, maxBackoffMs: 1000, connectTimeoutMs: 3000, publishTimeoutMs: 3000, keepaliveSec: 5,
  telemetryIntervalSec: 3600, telemetryMinGapSec: 3600,
};

export async function openCartRig(o: RigOptions): Promise<CartRig> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'cart-sync-'));
  const keyPath = join(dir, 'store-key.pub.pem');
  writeFileSync(keyPath, o.storePublicKeyPem);
  const cartId = o.cartId ?? 'cart-1';
  const storeId = o.storeId ?? 'store-1';
  const config = parseConfig({
    cart: { id: cartId, storeId },
    databasePath: join(dir, 'cart.db'),
    scale: { board: 'simulated' },
    mqtt: { url: o.url, protocolVersion: o.protocolVersion ?? 4, storePublicKeyPath: keyPath, plainTextExpected: !/^(mqtts|wss):/.test(o.url), ...fastReconnect, ...o.mqtt },
  });
  const sink = memorySink('debug');
  const log = createLogger(sink, 'test');
  const { db, setAside } = openDatabase(config.databasePath, log.child('storage'));
  const basket = new BasketStore(db);
  const catalog = new CatalogStore(db);
  if (o.catalog !== false && catalog.version() === 0) catalog.replace(syncCatalog, 1);
  const scale = new Scale(config.scale.calibration, { widthMm: config.scale.widthMm, depthMm: config.scale.depthMm });
  let link: StoreLink | null = null;
  const cart = new Cart({
    weight: scale, scans: createScanStage(), store: basket, catalog, config: defaultReconcilerConfig, log: log.child('basket'),
    onCommitted: () => void link?.drain(),
  });
  let scaleSec = 0;
  const rig: CartRig = {
    dir, cartId, storeId, db, basket, catalog, cart, scale, log,
    link: null as unknown as StoreLink,
    shopper: new Shopper(cart),
    lines: sink.lines,
    devices: [{ device: 'load-cells', status: 'ok' }, { device: 'scanner', status: 'ok' }],
    settleScale(seconds = 3) {
      for (let i = 0; i < seconds * 80; i++) cart.sample({ atSec: (scaleSec += 1 / 80), raw: [0, 0, 0, 0] });
    },
    async close() {
      await rig.link.stop();
      db.close();
    },
  };
  link = new StoreLink({
    config: config.mqtt, storeId, cartId, firmwareVersion: 'test-1.0', db, basket, catalog, dataDir: dir, log: log.child('sync'),
    // As the service does: a cart that had to set its database aside takes back its last snapshot.
    restoreBasket: setAside !== null,
    port: {
      basket: () => basket.state,
      resolveAlert: (r) => void cart.apply({ kind: 'staff-resolution', atSec: rig.shopper.atSec, ...r }),
      maintenanceBy: () => null,
      metrologyCounters: () => ({ calibration: 0, configuration: 0 }),
      restoreBasket: (lines) => cart.apply({ kind: 'basket-restore', atSec: rig.shopper.atSec, lines })?.decisions.some((d) => d.kind === 'basket-restored') ?? false,
      tare: () => scale.tare(scaleSec),
      devices: () => rig.devices,
    },
  });
  rig.link = link;
  await link.start();
  return rig;
}
