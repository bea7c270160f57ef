// A throwaway CA, a broker certificate for 127.0.0.1 and client certificates
// (CN = cart or store service name), made with the openssl command line in a
// temp folder for one test run.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function opensslMissing(): Promise<string | false> {
  try {
    await run('openssl', ['version'], { timeout: 5000 });
    return false;
  } catch {
    return 'openssl is not installed';
  }
}

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function signed(dir: string, name: string, cn: string, ca: string, extensions: string): Promise<void> {
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, extensions);
  await run('openssl', ['req', ...ecKey, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`), '-subj', `/CN=${cn}`], { timeout: 10_000 });
  await run('openssl', ['x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', join(dir, `${ca}.crt`), '-CAkey', join(dir, `${ca}.key`),
    '-CAcreateserial', '-days', '1', '-out', join(dir, `${name}.crt`), '-extfile', ext], { timeout: 10_000 });
}

export interface Pki {
  dir: string;
  /** Files of a certificate made by `issue`: name.crt and name.key, and the CA that signed it. */
  files(name: string): { caPath: string; certPath: string; keyPath: string };
}

/** A CA named `ca` with a broker certificate `server`; `clients` get client certificates with their name as CN. */
export async function makePki(dir: string, clients: string[], otherCa = false): Promise<Pki> {
  const cas = otherCa ? ['ca', 'other-ca'] : ['ca'];
  for (const ca of cas) {
    await run('openssl', ['req', '-x509', ...ecKey, '-keyout', join(dir, `${ca}.key`), '-out', join(dir, `${ca}.crt`), '-days', '1', '-subj', `/CN=${ca}`], { timeout: 10_000 });
  }
  await signed(dir, 'server', '127.0.0.1', 'ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  for (const c of clients) await signed(dir, c, c, 'ca', 'extendedKeyUsage=clientAuth\n');
  if (otherCa) await signed(dir, 'stranger', 'cart-1', 'other-ca', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    files: (name) => ({ caPath: join(dir, 'ca.crt'), certPath: join(dir, `${name}.crt`), keyPath: join(dir, `${name}.key`) }),
  };
}
