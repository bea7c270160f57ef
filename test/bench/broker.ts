// An MQTT broker in this process (aedes), on a free loopback port: for the
// demo and the tests, so that neither needs a server installed. aedes speaks
// MQTT 3.1.1 only.
import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';

export interface LocalBroker {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startLocalBroker(port = 0): Promise<LocalBroker> {
  const aedes = await Aedes.createBroker();
  const server = createServer(aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `mqtt://127.0.0.1:${actual}`,
    port: actual,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
