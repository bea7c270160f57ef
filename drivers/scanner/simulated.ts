// A simulated scanner at its own boundary: the bytes on its serial line. It
// is a serialport binding (binding-mock underneath) that can be unplugged and
// plugged back, so the real driver code runs against it in the demo and the
// tests, reconnects included.
import { SerialPortMock } from 'serialport';
import { SerialScanner, type PortBinding, type SerialScannerDeps, type SerialScannerOptions } from './serial-scanner.js';
import type { ScannerFamily, ScannerLog } from './scanner.js';

/** @serialport/binding-mock, as serialport ships it. */
const MockBinding = SerialPortMock.binding;
type PortHandle = Awaited<ReturnType<PortBinding['open']>>;
type OpenOptions = Parameters<PortBinding['open']>[0];

/** What the kernel says when a USB serial device goes away under a reader. */
function ioError(): Error {
  return Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
}

export class SimulatedScannerDevice {
  /** Everything the host wrote to the scanner: feedback commands. */
  written: Buffer = Buffer.alloc(0);
  private plugged = true;
  private open: SimulatedPort | null = null;
  /** Ports opened and not yet closed: more than one would be a leaked handle. */
  openPorts = 0;

  readonly binding: PortBinding = {
    list: async () => (this.plugged ? [{ path: this.path, manufacturer: 'Simulated', serialNumber: undefined, pnpId: undefined, locationId: undefined, productId: undefined, vendorId: undefined }] : []),
    open: async (options: OpenOptions) => {
      if (!this.plugged) throw Object.assign(new Error(`ENOENT: no such file or directory, cannot open ${options.path}`), { code: 'ENOENT' });
      const inner = await MockBinding.open(options);
      const port = new SimulatedPort(inner, this);
      this.open = port;
      this.openPorts++;
      return port;
    },
  };

  constructor(readonly path: string) {
    MockBinding.createPort(path, { echo: false, record: false });
  }

  get pluggedIn(): boolean {
    return this.plugged;
  }

  /** Puts bytes on the line towards the host; false when no host has the port open (they are lost, as on a real line). */
  send(bytes: Buffer | string): boolean {
    if (!this.open?.isOpen) return false;
    this.open.inner.emitData(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    return true;
  }

  unplug(): void {
    this.plugged = false;
    this.open?.yank();
  }

  plugIn(): void {
    this.plugged = true;
  }

  /** @internal */
  closed(port: SimulatedPort): void {
    this.openPorts--;
    if (this.open === port) this.open = null;
  }

  /** @internal */
  received(bytes: Buffer): void {
    this.written = Buffer.concat([this.written, bytes]);
  }
}

/** One open handle on the simulated device: binding-mock's port, made to fail the way a real one does when unplugged. */
class SimulatedPort implements PortHandle {
  private failRead: ((err: Error) => void) | null = null;
  private yanked = false;

  constructor(
    readonly inner: Awaited<ReturnType<typeof MockBinding.open>>,
    private readonly device: SimulatedScannerDevice,
  ) {}

  get openOptions() {
    return this.inner.openOptions;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  yank(): void {
    this.yanked = true;
    this.failRead?.(ioError());
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (this.yanked) return Promise.reject(ioError());
    return new Promise((resolve, reject) => {
      this.failRead = reject;
      this.inner.read(buffer, offset, length).then(resolve, reject);
    });
  }

  async write(buffer: Buffer): Promise<void> {
    if (this.yanked) throw ioError();
    await this.inner.write(buffer);
    this.device.received(buffer);
  }

  async close(): Promise<void> {
    await this.inner.close();
    this.failRead = null;
    this.device.closed(this);
  }

  update(options: Parameters<PortHandle['update']>[0]): Promise<void> {
    return this.inner.update(options);
  }

  set(options: Parameters<PortHandle['set']>[0]): Promise<void> {
    return this.inner.set(options);
  }

  get(): ReturnType<PortHandle['get']> {
    return this.inner.get();
  }

  getBaudRate(): Promise<{ baudRate: number }> {
    return this.inner.getBaudRate();
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  drain(): Promise<void> {
    return this.inner.drain();
  }
}

export interface SimulatedScannerOptions {
  clock: () => number;
  log: ScannerLog;
  path?: string;
  family?: ScannerFamily;
  maxLength?: number;
  flushGapSec?: number;
  retry?: SerialScannerDeps['retry'];
}

/** The real serial driver on a simulated device; bytes go in with send(), the device is there to unplug. */
export class SimulatedScanner extends SerialScanner {
  readonly device: SimulatedScannerDevice;

  constructor(opts: SimulatedScannerOptions) {
    const device = new SimulatedScannerDevice(opts.path ?? '/dev/serial/by-id/usb-Simulated_Scanner-if00');
    const options: SerialScannerOptions = {
      path: device.path,
      baudRate: 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      family: opts.family ?? 'none',
      maxLength: opts.maxLength ?? 512,
      flushGapSec: opts.flushGapSec ?? 0.3,
    };
    super(options, { binding: device.binding, clock: opts.clock, log: opts.log, retry: opts.retry });
    this.device = device;
  }

  send(bytes: Buffer | string): boolean {
    return this.device.send(bytes);
  }
}
