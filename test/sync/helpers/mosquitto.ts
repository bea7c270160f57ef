// A real mosquitto for a test: its own config file and data folder in a temp
// dir, a free loopback port, started and stopped by the test. Tests skip
// with a reason when the binary is not installed (CI installs it with apt).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';

export function mosquittoBinary(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      accessSync(join(dir, 'mosquitto'), constants.X_OK);
      return join(dir, 'mosquitto');
    } catch {
      // not here
    }
  }
  return null;
}

export const noMosquitto = mosquittoBinary() === null ? 'mosquitto is not installed (apt-get install mosquitto)' : false;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface MosquittoOptions {
  /** Lines added to the listener section (TLS, ACL). */
  listenerConfig?: string;
  scheme?: 'mqtt' | 'mqtts';
}

export interface Mosquitto {
  url: string;
  port: number;
  dir: string;
  pid(): number | undefined;
  /** Starts it again on the same port, with the same data folder. */
  start(): Promise<void>;
  /** SIGTERM: mosquitto saves its sessions and queued messages, then exits. */
  stop(): Promise<void>;
  /** SIGKILL: nothing saved since the last autosave. */
  kill(): Promise<void>;
  log(): string;
}

export async function startMosquitto(o: MosquittoOptions = {}): Promise<Mosquitto> {
  const binary = mosquittoBinary();
  if (!binary) throw new Error('mosquitto is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'mosquitto-'));
  const port = await freePort();
  const configPath = join(dir, 'mosquitto.conf');
  writeFileSync(configPath, [
    // Started as root, mosquitto would switch to the mosquitto user and lose the temp folder.
    `user ${userInfo().username}`,
    'persistence true',
    `persistence_location ${dir}/`,
    'autosave_interval 1',
    'max_queued_messages 100000',
    'max_inflight_messages 20',
    `log_dest file ${join(dir, 'mosquitto.log')}`,
    'log_type error',
    'log_type warning',
    'log_type notice',
    `listener ${port} 127.0.0.1`,
    o.listenerConfig ?? 'allow_anonymous true',
    '',
  ].join('\n'));
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const proc = spawn(binary, ['-c', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    for (let i = 0; i < 100; i++) {
      if (proc.exitCode !== null) throw new Error(`mosquitto exited at start: ${stderr} ${readLog()}`);
      if (await accepting(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('mosquitto did not start listening within 5 s');
  };
  const readLog = () => {
    try {
      return readFileSync(join(dir, 'mosquitto.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const signal = async (sig: NodeJS.Signals) => {
    if (!child || child.exitCode !== null) return;
    child.kill(sig);
    await exited;
  };
  await start();
  return {
    url: `${o.scheme ?? 'mqtt'}://127.0.0.1:${port}`,
    port,
    dir,
    pid: () => child?.pid,
    start,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    log: readLog,
  };
}
