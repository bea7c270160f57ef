// sd_notify(3) for a Node process: one datagram per message to the socket
// systemd names in NOTIFY_SOCKET. Node has no AF_UNIX datagram sockets, so the
// unix-dgram native package sends them; the messages come from the main
// process itself, which lets the unit keep NotifyAccess=main. Outside systemd
// (the bench, a terminal) there is no socket and nothing is sent.
import { createSocket, type UnixDgramSocket } from 'unix-dgram';
import type { Logger } from '../log.js';

export interface Notifier {
  /** True when systemd is listening. */
  readonly enabled: boolean;
  /** Sends KEY=VALUE lines, e.g. { READY: '1', STATUS: 'shopping' }. */
  send(fields: Record<string, string>): void;
  close(): void;
}

const disabled: Notifier = { enabled: false, send: () => {}, close: () => {} };

export function openNotifier(env: NodeJS.ProcessEnv, log: Logger): Notifier {
  const path = env.NOTIFY_SOCKET;
  if (!path) return disabled;
  if (path.startsWith('@')) {
    // unix-dgram copies the path as a C string, so an abstract name (leading NUL) cannot be reached.
    log.error('systemd notify socket is abstract and cannot be reached; systemd will time out the start and restart the cart', { socket: path });
    return disabled;
  }
  let socket: UnixDgramSocket | null = createSocket('unix_dgram');
  let failing = false;
  socket.on('error', (err) => log.warn('systemd notify socket error', { error: err.message }));
  return {
    enabled: true,
    send(fields) {
      if (!socket) return;
      const text = Object.entries(fields).map(([k, v]) => `${k}=${v}`).join('\n');
      const buf = Buffer.from(text);
      socket.send(buf, 0, buf.length, path, (err) => {
        if (err && !failing) log.warn('systemd did not take a notification; if this lasts, the watchdog restarts the cart', { error: err.message, message: text.split('\n')[0] });
        if (!err && failing) log.info('systemd takes notifications again');
        failing = Boolean(err);
      });
    },
    close() {
      socket?.close();
      socket = null;
    },
  };
}
