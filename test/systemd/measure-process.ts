// Measures a running process from outside, as `top` would: resident memory
// (VmRSS in /proc/<pid>/status) and CPU time (utime + stime in
// /proc/<pid>/stat), sampled once a second, summed up per phase. With
// --ready it stands in for systemd's notify socket and reports the time from
// spawn to READY=1.
//   npx tsx test/systemd/measure-process.ts --phase busy:2:32 --phase idle:40:100 -- node dist/test/bench/demo.js
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fakeSystemd } from '../notify/fake-systemd.js';

interface Phase { name: string; fromSec: number; toSec: number }
interface Sample { atSec: number; rssMb: number; cpuSec: number }

const args = process.argv.slice(2);
const split = args.indexOf('--');
const command = args.slice(split + 1);
const phases: Phase[] = [];
let wantReady = false;
for (let i = 0; i < split; i++) {
  if (args[i] === '--ready') wantReady = true;
  if (args[i] === '--phase') {
    const [name, from, to] = (args[++i] ?? '').split(':');
    phases.push({ name: name!, fromSec: Number(from), toSec: Number(to) });
  }
}
if (command.length === 0 || phases.length === 0) {
  process.stderr.write('usage: measure-process.ts [--ready] --phase NAME:FROM_SEC:TO_SEC ... -- COMMAND ARGS\n');
  process.exit(2);
}

const ticksPerSec = Number((await promisify(execFile)('getconf', ['CLK_TCK'])).stdout.trim());
const systemd = wantReady ? fakeSystemd() : null;
const startMs = performance.now();
const child = spawn(command[0]!, command.slice(1), {
  stdio: ['ignore', 'ignore', 'ignore'],
  env: systemd ? { ...process.env, NOTIFY_SOCKET: systemd.path } : process.env,
});
const readyMs = systemd?.next('READY', 120_000).then((m) => m.atMs - startMs);

function sample(pid: number): Sample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    // The command name in stat may hold spaces; the fields after its closing parenthesis do not.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    // fields[0] is field 3 (state): utime and stime are fields 14 and 15.
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    return { atSec: (performance.now() - startMs) / 1000, rssMb: rssKb / 1024, cpuSec: cpuTicks / ticksPerSec };
  } catch {
    return null;
  }
}

const endSec = Math.max(...phases.map((p) => p.toSec));
const samples: Sample[] = [];
while ((performance.now() - startMs) / 1000 < endSec) {
  const s = sample(child.pid!);
  if (!s) break;
  samples.push(s);
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
child.kill('SIGTERM');
await new Promise((resolve) => child.on('exit', resolve));
systemd?.close();

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
console.log(`command: ${command.join(' ')}`);
if (readyMs) console.log(`spawn to READY=1: ${Math.round(await readyMs)} ms`);
console.log(line(['phase', 'seconds', 'RSS median MB', 'RSS peak MB', 'CPU % of one core (mean)', 'CPU % (worst second)']));
console.log(line(['---', '---', '---', '---', '---', '---']));
for (const p of phases) {
  const inPhase = samples.filter((s) => s.atSec >= p.fromSec && s.atSec <= p.toSec);
  if (inPhase.length < 2) {
    console.log(line([p.name, `${p.fromSec}-${p.toSec}`, 'no samples', '', '', '']));
    continue;
  }
  const perSecond = inPhase.slice(1).map((s, i) => (100 * (s.cpuSec - inPhase[i]!.cpuSec)) / (s.atSec - inPhase[i]!.atSec));
  const first = inPhase[0]!;
  const last = inPhase[inPhase.length - 1]!;
  const meanCpu = (100 * (last.cpuSec - first.cpuSec)) / (last.atSec - first.atSec);
  console.log(line([p.name, `${p.fromSec}-${p.toSec}`, median(inPhase.map((s) => s.rssMb)).toFixed(1), Math.max(...inPhase.map((s) => s.rssMb)).toFixed(1), meanCpu.toFixed(1), Math.max(...perSecond).toFixed(1)]));
}
