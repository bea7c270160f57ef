// The cart's one config file. The schema below is the single description of
// every key: its type, its default and what it means. It is checked once at
// start, and every wrong key is reported in one message.
import type { Static, TSchema } from '@sinclair/typebox';
import { Type as T, Value } from './typebox.js';
import { defaultReconcilerConfig } from './basket/types.js';
// Not the barcode index: that brings the whole scan stage into every command that checks a config.
import { defaultBarcodeConfig, type BarcodeConfig } from './barcode/config.js';
import { variableMeasurePresets } from './barcode/variable-measure.js';
import { ConfigError, readConfigFile } from './config-file.js';
import { databasePathKey, healthKeys } from './health-config.js';

export { ConfigError } from './config-file.js';

const Strict = { additionalProperties: false };

const Basket = T.Object({
  scanWindowSec: T.Number({ minimum: 1, default: defaultReconcilerConfig.scanWindowSec, description: 'how long a scan waits for its item, counted to when the weight starts to change' }),
  lateScanSec: T.Number({ minimum: 0, default: defaultReconcilerConfig.lateScanSec, description: 'how long after an unscanned-item alert a scan still adds the item' }),
  fitSigmas: T.Number({ minimum: 1, maximum: 10, default: defaultReconcilerConfig.fitSigmas, description: 'how many standard deviations a weight may be off and still fit an item' }),
  relativeErrorSd: T.Number({ minimum: 0, maximum: 0.1, default: defaultReconcilerConfig.relativeErrorSd, description: 'calibration error as a share of the weight (1 sd)' }),
  measurementSdFloorGrams: T.Number({ minimum: 0, default: defaultReconcilerConfig.measurementSdFloorGrams, description: 'least uncertainty (1 sd) taken for a weight change' }),
  minChangeGrams: T.Number({ minimum: 0, default: defaultReconcilerConfig.minChangeGrams, description: 'smaller weight changes are ignored' }),
  maxUnitsPerChange: T.Integer({ minimum: 1, maximum: 5, default: defaultReconcilerConfig.maxUnitsPerChange, description: 'most items one removal may explain (a placement: any set of up to eight open scans)' }),
  ambiguitySigmas: T.Number({ minimum: 0, default: defaultReconcilerConfig.ambiguitySigmas, description: 'a second explanation this close to the best makes a removal ambiguous' }),
  personalArmSec: T.Number({ minimum: 1, default: defaultReconcilerConfig.personalArmSec, description: 'how long a "my bag" press waits for the bag' }),
  byWeightSigmas: T.Number({ minimum: 1, maximum: 10, default: defaultReconcilerConfig.byWeightSigmas, description: 'how far (in catalog sd) a bag of produce may be from its typical weight' }),
  continuationSec: T.Number({ minimum: 0, maximum: 5, default: defaultReconcilerConfig.continuationSec, description: 'weight put in that nothing explains waits this long for the rest of the same item (set down one edge first) before the alert' }),
  scanAfterPlaceSec: T.Number({ minimum: 0, maximum: 5, default: defaultReconcilerConfig.scanAfterPlaceSec, description: 'weight put in that nothing explains waits at least this long for its scan before the alert (the alert should still come within 3 s of the rest)' }),
  liftOffSec: T.Number({ minimum: 0, maximum: 5, default: defaultReconcilerConfig.liftOffSec, description: 'weight that comes partly off again this soon after a rest, leaving what fits, was the hand that set the item down' }),
  putBackSec: T.Number({ minimum: 0, default: defaultReconcilerConfig.putBackSec, description: 'an item taken out without a scan and put back within this time is back in the basket, not an unscanned item' }),
  putBackSigmas: T.Number({ minimum: 1, maximum: 10, default: defaultReconcilerConfig.putBackSigmas, description: 'how many standard deviations of its two weighings an item put back may differ from what was taken out' }),
}, { ...Strict, default: {} });

/** A pin on the 40-pin header, by its BCM number (GPIO17 is 17), not by its position on the header. */
const Bcm = (pin: number, description: string) => T.Integer({ minimum: 0, maximum: 53, default: pin, description });

const Feedback = T.Object({
  pins: T.Object({
    red: Bcm(23, 'status light, red (an RGB LED, each colour switched high-on)'),
    green: Bcm(24, 'status light, green'),
    blue: Bcm(25, 'status light, blue'),
    buzzer: Bcm(18, 'active buzzer: sounds while the pin is high'),
    help: Bcm(17, '"help" button'),
    myBag: Bcm(27, '"my bag" button'),
  }, { ...Strict, default: {} }),
  buttonPressedLevel: T.Union([T.Literal(0), T.Literal(1)], { default: 0, description: 'what a pressed button reads: 0 for a button to ground with the pull-up on (see docs/install.md)' }),
  debounceMs: T.Integer({ minimum: 5, maximum: 200, default: 30, description: 'a button level counts once it has held this long' }),
  stuckAfterSec: T.Number({ minimum: 2, default: 10, description: 'a button held longer is taken for stuck and ignored until released' }),
}, { ...Strict, default: {} });

const Gpio = T.Object({
  backend: T.Union([T.Literal('chardev'), T.Literal('sysfs'), T.Literal('simulated')], { default: 'chardev', description: 'how the light, buzzer and buttons are driven: chardev (the GPIO character device, through libgpiod\'s gpioset/gpioget/gpiomon), sysfs (onoff, /sys/class/gpio: deprecated, for kernels that still have it), or simulated (bench and demos only)' }),
  chip: T.String({ pattern: '^/dev/gpiochip[0-9]+$', default: '/dev/gpiochip0', description: 'chardev: the chip of the 40-pin header; BCM n is its line n (gpiochip0 on a Pi 4, and on a Pi 5 since Linux 6.6)' }),
}, { ...Strict, default: {} });

const Display = T.Object({
  port: T.Integer({ minimum: 1024, maximum: 65535, default: 8734, description: 'TCP port of the shopper\'s screen and its API, on 127.0.0.1 only' }),
  currency: T.String({ pattern: '^[A-Z]{3}$', default: 'EUR', description: 'ISO 4217 code of the catalog\'s prices (priceCents are hundredths of it), for the shopper\'s screen' }),
}, { ...Strict, default: {} });

// `cart-firmware health` reads these keys without this schema: their bounds and defaults are in health-config.ts.
const Health = T.Object({
  path: T.String({ ...healthKeys.path, description: 'where the service writes its health for `cart-firmware health`' }),
  everySec: T.Number({ ...healthKeys.everySec, description: 'how often the health file is written; older than 3 times this, the service counts as hung' }),
  minFreeDiskMb: T.Number({ ...healthKeys.minFreeDiskMb, description: 'less free space beside the database makes the cart unfit to shop' }),
}, { ...Strict, default: {} });

// The metrology of cart-cal (issue 7). e and Max are metrological settings:
// a change of either moves the configuration event counter.
const Calibration = T.Object({
  intervalGrams: T.Number({ exclusiveMinimum: 0, default: 10, description: 'verification scale interval e in grams, 1, 2 or 5 times a power of ten (OIML R76-1 3.1.2); the errors cart-cal verify allows are multiples of it' }),
  capacityGrams: T.Number({ exclusiveMinimum: 0, default: 30_000, description: 'maximum capacity Max that cart-cal verifies up to; class III needs Max/e from 100 to 10000 (R76-1 3.2)' }),
  socketPath: T.String({ minLength: 1, default: '/run/cart-firmware/control.sock', description: 'Unix socket where cart-cal reaches the running service' }),
  socketGroup: T.String({ minLength: 1, default: 'cart-tech', description: 'the technicians\' group: besides the service\'s own user, the only one that may open the control socket' }),
}, { ...Strict, default: {} });

const Camera = T.Object({
  cameras: T.Array(T.Object({
    id: T.String({ pattern: '^[a-z0-9-]{1,16}$', description: 'the camera\'s name in logs and health, e.g. top' }),
    index: T.Integer({ minimum: 0, maximum: 7, description: 'libcamera\'s camera number (rpicam-hello --list-cameras)' }),
  }, Strict), { maxItems: 4, default: [], description: 'cameras above the basket; none: no product guesses, the cart shops on scans and weight alone' }),
  streamBinary: T.String({ pattern: '^[A-Za-z0-9_./-]+$', default: 'rpicam-vid', description: 'video app that writes raw YUV420 frames to stdout; libcamera-vid on Raspberry Pi OS before Bookworm' }),
  stillBinary: T.String({ pattern: '^[A-Za-z0-9_./-]+$', default: 'rpicam-still', description: 'still app for technicians\' snapshots; libcamera-still before Bookworm' }),
  width: T.Integer({ minimum: 64, maximum: 1920, multipleOf: 64, default: 320, description: 'width of the live frames; a multiple of 64, so that the frames on the pipe carry no row padding' }),
  height: T.Integer({ minimum: 48, maximum: 1088, multipleOf: 16, default: 240, description: 'height of the live frames' }),
  framerate: T.Number({ minimum: 1, maximum: 30, default: 10, description: 'live frames a second per camera' }),
  ringSec: T.Number({ minimum: 1, maximum: 30, default: 5, description: 'seconds of frames kept per camera (width x height x 1.5 bytes a frame); a weight change that takes longer from start to rest gets no guess' }),
  stallSec: T.Number({ minimum: 0.5, maximum: 60, default: 3, description: 'no frame for this long while the video app runs: it is taken for hung and started again' }),
  snapshotTimeoutMs: T.Integer({ minimum: 1000, maximum: 60_000, default: 8000, description: 'a technician\'s still that takes longer is stopped' }),
}, { ...Strict, default: {} });

const Vision = T.Object({
  modelDir: T.String({ minLength: 1, default: 'models/default', description: 'folder with the model\'s manifest.json and ONNX file; a relative path is from the firmware\'s folder' }),
  referencesPath: T.String({ minLength: 1, default: '/var/lib/cart-firmware/vision-references.json', description: 'the products\' reference embeddings, as the store made them with the model' }),
  threads: T.Integer({ minimum: 1, maximum: 4, default: 1, description: 'ONNX Runtime threads for one inference (measured: test/bench/vision.bench.ts)' }),
  maxWaitMs: T.Integer({ minimum: 0, maximum: 1000, default: 150, description: 'longest a settled weight change waits for the cameras\' guess before the weight decides alone' }),
  topK: T.Integer({ minimum: 1, maximum: 20, default: 5, description: 'likeliest products kept in a guess' }),
}, { ...Strict, default: {} });

export const ConfigSchema = T.Object({
  cart: T.Object({
    id: T.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'the cart id: MQTT client id and topic segment' }),
    storeId: T.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'the store this cart belongs to' }),
  }, Strict),
  databasePath: T.String({ ...databasePathKey, description: 'SQLite database file' }),
  databaseReserveMb: T.Integer({ minimum: 0, maximum: 1024, default: 8, description: 'space held beside the database (DATABASE.reserve) and released when the disk fills, so that the basket keeps being saved for the rest of the trip; 0: none' }),
  logLevel: T.Union([T.Literal('debug'), T.Literal('info'), T.Literal('warn'), T.Literal('error')], { default: 'info', description: 'least important log line written to the journal' }),
  scale: T.Object({
    // No default: a cart must name its boards, and "simulated" is asked for, never fallen back to (issue 14).
    board: T.Union([T.Literal('dfrobot'), T.Literal('m5stack'), T.Literal('simulated')], { description: 'which HX711 I2C board sits at each corner; "simulated" for the bench and demos only (health and telemetry then say so)' }),
    busNumber: T.Integer({ minimum: 0, default: 1, description: 'I2C bus: /dev/i2c-N' }),
    addresses: T.Array(T.Integer({ minimum: 0x03, maximum: 0x77 }), { minItems: 4, maxItems: 4, default: [0x64, 0x65, 0x66, 0x67], description: 'I2C address of the board at each corner: front-left, front-right, rear-left, rear-right' }),
    rateHz: T.Number({ minimum: 1, maximum: 100, default: 25, description: 'samples a second per board: at most 25 for dfrobot (22 ms a read); an m5stack unit converts only 10 times a second, so read it at 10' }),
    widthMm: T.Number({ exclusiveMinimum: 0, default: 500, description: 'distance between the left and right cells' }),
    depthMm: T.Number({ exclusiveMinimum: 0, default: 350, description: 'distance between the front and rear cells' }),
    calibration: T.Array(T.Object({ offset: T.Number(), countsPerGram: T.Number() }, Strict), { minItems: 4, maxItems: 4, default: [
      { offset: 0, countsPerGram: 100 }, { offset: 0, countsPerGram: 100 }, { offset: 0, countsPerGram: 100 }, { offset: 0, countsPerGram: 100 },
    ], description: 'factory calibration, used until cart-cal stores one' }),
    playback: T.Optional(T.String({ minLength: 1, description: 'bench only, with board "simulated": a cart-trace whose adc lines the simulated boards play in real time from their first conversion (rateHz must be the trace\'s)' })),
  }, { ...Strict, default: {} }),
  scanner: T.Object({
    kind: T.Union([T.Literal('serial'), T.Literal('simulated')], { default: 'serial', description: 'serial on a cart; "simulated" for the bench and demos only (health and telemetry then say so)' }),
    path: T.String({ default: '/dev/cart-scanner', description: 'serial device, by its stable name (systemd/99-cart-scanner.rules makes /dev/cart-scanner)' }),
    baudRate: T.Integer({ minimum: 1200, default: 9600, description: 'as set on the scanner (a USB CDC-ACM scanner ignores it)' }),
    family: T.Union([T.Literal('none'), T.Literal('honeywell'), T.Literal('zebra-ssi')], { default: 'none', description: 'good-read / bad-read commands the scanner understands' }),
    dataBits: T.Union([T.Literal(8), T.Literal(7)], { default: 8, description: 'serial framing, as set on the scanner' }),
    parity: T.Union([T.Literal('none'), T.Literal('even'), T.Literal('odd')], { default: 'none', description: 'serial framing, as set on the scanner' }),
    stopBits: T.Union([T.Literal(1), T.Literal(2)], { default: 1, description: 'serial framing, as set on the scanner' }),
    maxLength: T.Integer({ minimum: 16, maximum: 4096, default: 512, description: 'longest barcode line kept, in bytes; a longer one is dropped up to its suffix' }),
    flushGapSec: T.Number({ exclusiveMinimum: 0, maximum: 5, default: 0.3, description: 'silence that ends a line sent without a suffix' }),
  }, { ...Strict, default: {} }),
  basket: Basket,
  barcodes: T.Object({
    variableMeasurePreset: T.Union([T.Literal('none'), T.Literal('US'), T.Literal('GB'), T.Literal('DE'), T.Literal('SE')], { default: 'none', description: 'built-in variable-measure layouts of a country (docs/barcodes.md); none until the store says which' }),
    variableMeasure: T.Array(T.Object({
      name: T.String({ minLength: 1 }),
      pattern: T.String({ pattern: '^[0-9IVMC]{13}$', description: '13 characters over the GTIN-13: digits to match, I item, V verifier, M value, C check digit' }),
      measure: T.Union([T.Literal('grams'), T.Literal('priceCents')]),
      step: T.Number({ exclusiveMinimum: 0 }),
    }, Strict), { default: [], description: 'the store\'s own variable-measure layouts, tried before the preset' }),
    storeCodes: T.Array(T.Object({
      purpose: T.Union([T.Literal('coupon'), T.Literal('loyalty'), T.Literal('staff'), T.Literal('pairing')]),
      prefix: T.String({ minLength: 1 }),
      length: T.Optional(T.Integer({ minimum: 1 })),
      gs1CheckDigit: T.Optional(T.Boolean()),
    }, Strict), { default: defaultBarcodeConfig.storeCodes, description: 'codes that are not products, by prefix; first match wins' }),
    currency: T.String({ pattern: '^[0-9]{3}$', default: defaultBarcodeConfig.currency, description: 'ISO 4217 numeric code of the store\'s currency, for GS1 (393n) prices' }),
    repeatWindowSec: T.Number({ minimum: 0, maximum: 5, default: 1, description: 'the same code again within this time of its scan is the scanner repeating itself' }),
  }, { ...Strict, default: {} }),
  mqtt: T.Object({
    url: T.String({ pattern: '^(mqtts?|wss?|tcp)://', default: 'mqtt://127.0.0.1:1883', description: 'the store broker' }),
    protocolVersion: T.Union([T.Literal(5), T.Literal(4)], { default: 5, description: 'MQTT 5; 4 (3.1.1) only for brokers that speak no more' }),
    tls: T.Optional(T.Object({
      caPath: T.String({ minLength: 1, description: 'PEM file of the CA that signed the broker certificate' }),
      certPath: T.String({ minLength: 1, description: 'PEM file of this cart\'s client certificate; its CN is the cart id' }),
      keyPath: T.String({ minLength: 1, description: 'PEM file of this cart\'s private key' }),
    }, { ...Strict, description: 'client certificate for an mqtts:// url; the broker confines the cart to its own topics by the certificate name' })),
    plainTextExpected: T.Boolean({ default: false, description: 'demo and bench only: their broker is local and speaks plain MQTT; on a cart a link without TLS is warned about in the log and in health' }),
    storePublicKeyPath: T.String({ minLength: 1, default: '/etc/cart-firmware/store-signing-key.pem', description: 'PEM file of the store\'s Ed25519 public key: commands, catalogs and time beacons must verify against it' }),
    keepaliveSec: T.Integer({ minimum: 5, maximum: 600, default: 30, description: 'MQTT keepalive; a dead link is noticed after about 1.5 times this' }),
    connectTimeoutMs: T.Integer({ minimum: 1000, default: 10_000, description: 'how long to wait for CONNACK' }),
    publishTimeoutMs: T.Integer({ minimum: 1000, default: 10_000, description: 'a publish without PUBACK within this time counts the connection as broken; the message stays in the outbox' }),
    minBackoffMs: T.Integer({ minimum: 100, default: 2000, description: 'first reconnect waits a random time up to this; each failure doubles the window' }),
    maxBackoffMs: T.Integer({ minimum: 1000, default: 60_000, description: 'largest reconnect window; also the window after a refusal that needs a person (bad certificate, not authorised)' }),
    sessionExpirySec: T.Integer({ minimum: 0, default: 3600, description: 'MQTT 5: how long the broker keeps the cart\'s subscriptions and queued commands while it is away' }),
    outboxMaxRows: T.Integer({ minimum: 100, default: 20_000, description: 'outbox rows above which no new shopping session starts; basket events are never dropped' }),
    telemetryIntervalSec: T.Integer({ minimum: 5, default: 60, description: 'telemetry is sent at least this often' }),
    telemetryMinGapSec: T.Integer({ minimum: 1, default: 5, description: 'a change of health is sent at once, but not more often than this' }),
    telemetryQueueRows: T.Integer({ minimum: 4, default: 120, description: 'telemetry kept while the link is down; beyond it the older half is thinned' }),
  }, { ...Strict, default: {} }),
  feedback: Feedback,
  gpio: Gpio,
  display: Display,
  health: Health,
  calibration: Calibration,
  camera: Camera,
  vision: Vision,
}, Strict);

export type Config = Static<typeof ConfigSchema>;
export type MqttConfig = Config['mqtt'];

/** Defaults filled in, then every problem reported at once, each naming its key. */
export function parseConfig(input: unknown, schema: TSchema = ConfigSchema): Config {
  const withDefaults = Value.Default(schema, structuredClone(input ?? {}));
  const byKey = new Map<string, string>();
  for (const e of Value.Errors(schema, withDefaults)) {
    const key = e.path === '' ? '(top level)' : e.path.slice(1).replaceAll('/', '.');
    if (byKey.has(key)) continue;
    const choices = (e.schema.anyOf as TSchema[] | undefined)?.map((o) => o.const as unknown);
    const expected = choices?.every((c) => c !== undefined) ? `Expected one of ${choices.join(', ')}` : e.message;
    const got = e.value === undefined ? 'nothing' : JSON.stringify(e.value);
    byKey.set(key, `  ${key}: ${expected} (got ${got})`);
  }
  if (byKey.size > 0) {
    throw new ConfigError(`config is not valid; nothing was started:\n${[...byKey.values()].join('\n')}`);
  }
  return withDefaults as Config;
}

export function loadConfig(path: string): Config {
  return parseConfig(readConfigFile(path));
}

/** Which devices the config asks to be simulated: health and telemetry report them as such, never as ok. */
export function simulatedDevicesOf(config: Config): { loadCells: boolean; scanner: boolean } {
  return { loadCells: config.scale.board === 'simulated', scanner: config.scanner.kind === 'simulated' };
}

/** The barcode stage's config: the store's own layouts first, then the country preset. */
export function barcodeConfigOf(config: Config): BarcodeConfig {
  const b = config.barcodes;
  const preset = b.variableMeasurePreset === 'none' ? [] : variableMeasurePresets[b.variableMeasurePreset];
  return { storeCodes: b.storeCodes, variableMeasure: [...b.variableMeasure, ...preset], currency: b.currency };
}
