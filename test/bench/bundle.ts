// The cart-bench command as one entry file and a chunk for each subcommand
// (esbuild), which build.sh writes to dist/bench and package.json names as
// the command. Node's module loader resolves, reads and links the 45
// modules of a replay one by one, and that was 15 to 20 ms of the 200 a
// 5-minute replay may take (docs/bench.md, start-up). A subcommand's chunk
// is still imported only when it runs; packages stay in node_modules, where
// the native ones must be.
//
//   node dist/test/bench/bundle.js ENTRY OUTDIR      (what build.sh runs)
import { buildSync } from 'esbuild';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function bundleBench(entry: string, outdir: string): void {
  buildSync({
    entryPoints: { 'cart-bench': entry },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const [entry, outdir] = process.argv.slice(2);
  if (!entry || !outdir) {
    process.stderr.write('usage: node dist/test/bench/bundle.js ENTRY OUTDIR\n');
    process.exit(2);
  }
  bundleBench(entry, outdir);
}
