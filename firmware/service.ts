// Builds the running cart from its config and devices, starts everything in
// order and stops it in reverse: database, weight and scan stages, drivers,
// store link. Devices come in already chosen (real or simulated), so the same
// wiring runs on a cart, in the demo and on the bench.
import { dirname, resolve } from 'node:path';
import { openCameras, type Camera } from '../drivers/camera/index.js';
import type { Scanner } from '../drivers/scanner/scanner.js';
import { openLoadCells, type LoadCellConfig, type LoadCells } from '../drivers/loadcell/index.js';
import { Cart } from './cart.js';
import { barcodeConfigOf, simulatedDevicesOf, type Config } from './config.js';
import { CartControl, type Maintenance } from './control/index.js';
import type { Seconds } from './domain.js';
import type { Logger } from './log.js';
import { createScanStage } from './barcode/stage.js';
import { BasketStore, CatalogStore, type Committed } from './storage/basket-store.js';
import { openDatabase, unavailableOr } from './storage/database.js';
import { DiskReserve } from './storage/reserve.js';
import { readSetAside, type SetAside } from './storage/set-aside.js';
import { MetrologyStore } from './storage/metrology-store.js';
import { StoreLink } from './sync/store-link.js';
import type { DeviceHealth } from './sync/schemas.js';
import { deviceHealthOf, storageDeviceHealth } from './sync/telemetry.js';
import { defaultScaleConfig, Scale } from './weight/scale.js';
import { projectRoot } from './process.js';
import { startVision, type RunningVision } from './vision/index.js';

/** How often a released disk reserve is made again, once the disk has room for it. */
const reserveCheckEveryMs = 30_000;

export interface CartDevices {
  loadCells: LoadCellConfig;
  scanner: Scanner;
  /** The cameras above the basket; when not given, those config.camera lists, through the libcamera apps. */
  cameras?: Camera[];
}

export interface CartDeps {
  log: Logger;
  clock: () => Seconds;
  firmwareVersion: string;
}

export interface RunningCart {
  cart: Cart;
  store: BasketStore;
  catalog: CatalogStore;
  link: StoreLink;
  scale: Scale;
  loadCells: LoadCells;
  /** cart-cal's maintenance mode: while `active`, no shopping session may start. */
  maintenance: Maintenance;
  /** The calibration and its audit trail; `counters()` are the sealing counters for telemetry. */
  metrology: MetrologyStore;
  /** Cameras and product recognition; null when the cart has no camera. */
  vision: RunningVision | null;
  /** The database's disk: inputs held in memory, the reserve; failed while anything waits to be saved. */
  storageHealth(): DeviceHealth;
  /** When an earlier, damaged database was set aside, and whether the basket was taken back from the store since. */
  databaseSetAside(): SetAside | null;
  /** Adds a listener for every committed outcome, heard after the store link and the scanner (the light, the buzzer, the display). */
  onCommitted(listener: (committed: Committed) => void): void;
  /** Stops in reverse order of start; safe to call twice. */
  stop(): Promise<void>;
}

export async function startCart(config: Config, devices: CartDevices, deps: CartDeps): Promise<RunningCart> {
  const log = deps.log;
  const storageLog = log.child('storage');
  const { db, setAside } = openDatabase(config.databasePath, storageLog);
  let store: BasketStore;
  try {
    store = new BasketStore(db);
  } catch (err) {
    // The first write of a start (the boot count): a full or read-only disk shows here.
    db.close();
    throw unavailableOr(err, config.databasePath);
  }
  const catalog = new CatalogStore(db);
  const setAsideRecord = readSetAside(db);
  storageLog.info('database open', { path: config.databasePath, boot: store.boot, catalog: catalog.size, damagedMovedTo: setAside ?? undefined });
  if (setAsideRecord && setAside === null) {
    storageLog.warn('this database replaced a damaged one', { setAsideAt: setAsideRecord.at, movedTo: setAsideRecord.movedTo, basketTakenBackAt: setAsideRecord.basketTakenBackAt ?? 'not yet' });
  }
  const reserve = new DiskReserve(`${config.databasePath}.reserve`, config.databaseReserveMb * 2 ** 20, storageLog);
  await reserve.make();
  // After a full disk, the reserve is made again once the space is back.
  const reserveTimer = setInterval(() => void reserve.make(), reserveCheckEveryMs);
  reserveTimer.unref();
  const storageHealth = () => storageDeviceHealth(cart.heldInputs, reserve.state);

  const metrology = new MetrologyStore(db);
  const calibration = metrology.calibration() ?? config.scale.calibration;
  // The scale's windows are counted in samples, so it must know the boards' real rate.
  const scale = new Scale(calibration, { widthMm: config.scale.widthMm, depthMm: config.scale.depthMm }, { ...defaultScaleConfig, rateHz: config.scale.rateHz });
  // The link reaches the cart only through this port: store commands that
  // change the basket go through Cart.apply or the scale, like any input.
  const link = new StoreLink({
    config: config.mqtt,
    storeId: config.cart.storeId,
    cartId: config.cart.id,
    firmwareVersion: deps.firmwareVersion,
    db,
    basket: store,
    catalog,
    dataDir: dirname(config.databasePath),
    port: {
      basket: () => store.state,
      resolveAlert: (r) => void cart.apply({ kind: 'staff-resolution', atSec: deps.clock(), ...r }),
      tare: () => scale.tare(deps.clock()),
      devices: () => [...deviceHealthOf(loadCells.sampler.health(), devices.scanner.health(), simulatedDevicesOf(config)), storageHealth(), ...(vision?.devices() ?? [])],
      databaseSetAside: () => readSetAside(db),
      maintenanceBy: (): string | null => control.maintenance.holder,
      metrologyCounters: () => metrology.counters(),
      restoreBasket: (lines) => cart.apply({ kind: 'basket-restore', atSec: deps.clock(), lines })?.decisions.some((d) => d.kind === 'basket-restored') ?? false,
    },
    // Until it is done: a first start that never reached the store tries again at the next.
    restoreBasket: setAsideRecord !== null && setAsideRecord.basketTakenBackAt === null,
    log: log.child('sync'),
  });
  const basketLog = log.child('basket');
  const listeners: ((committed: Committed) => void)[] = [];
  const cameras = devices.cameras ?? openCameras(config.camera, { clock: deps.clock, log });
  const vision = cameras.length === 0 ? null
    : await startVision({ ...config.vision, modelDir: resolve(projectRoot(), config.vision.modelDir) }, cameras, log.child('vision'));
  const cart = new Cart({
    weight: scale,
    scans: createScanStage({ config: barcodeConfigOf(config), repeatWindowSec: config.barcodes.repeatWindowSec, log }),
    store,
    catalog,
    config: config.basket,
    log: basketLog,
    reserve,
    ...(vision ? { vision: vision.gate } : {}),
    // A scanner waiting for the host's answer (Honeywell Host ACK) gets one for unreadable codes too.
    onScanRejected: () => void devices.scanner.signal(false).catch(() => {}),
    onCommitted: (committed) => {
      void link.drain();
      // The scanner's beep means "accepted and saved", so it waits for the commit.
      for (const d of committed.decisions) {
        if (d.kind === 'scan-open' || d.kind === 'scan-ignored') void devices.scanner.signal(d.kind === 'scan-open').catch(() => {});
      }
      for (const listener of listeners) {
        try {
          listener(committed);
        } catch (err) {
          basketLog.error('a decision listener failed; the decision is saved, only this effect of it is lost', { error: (err as Error).message });
        }
      }
    },
  });

  // cart-cal reaches the scale through the control socket; a new calibration applies at once.
  const control = new CartControl({
    config, scale, calibration, metrology, clock: deps.clock, log: log.child('control'),
    hardware: () => loadCells.sampler.health(),
    shoppingSession: () => link.sync.activeSession()?.id ?? null,
  });

  // An exception inside one event must not stop the cart: it is logged, the
  // input is not committed, and the next one is handled.
  const guarded = <T>(what: string, fn: (x: T) => void) => (x: T) => {
    try {
      fn(x);
    } catch (err) {
      basketLog.error(`${what} could not be handled; the basket stays as last saved`, { error: (err as Error).message });
    }
  };

  const loadCells = await openLoadCells(devices.loadCells, { clock: deps.clock, log });
  loadCells.sampler.on('sample', guarded('load cell sample', (s) => control.sample(s, cart)));
  devices.scanner.on('frame', guarded('scan', (f) => cart.frame(f)));
  loadCells.sampler.start();
  await devices.scanner.start();
  await link.start();
  await control.start();
  log.info('cart ready', { cart: config.cart.id, store: config.cart.storeId, basketLines: store.lines().length });

  let stopped = false;
  return {
    cart, store, catalog, link, scale, loadCells, maintenance: control.maintenance, metrology, vision,
    storageHealth,
    databaseSetAside: () => readSetAside(db),
    onCommitted: (listener) => void listeners.push(listener),
    async stop() {
      if (stopped) return;
      stopped = true;
      await control.stop();
      await devices.scanner.stop();
      await loadCells.close();
      await vision?.stop();
      await link.stop();
      clearInterval(reserveTimer);
      db.close();
      log.info('cart stopped', { outbox: 'kept in the database' });
    },
  };
}
