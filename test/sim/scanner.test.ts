import t from 'tap';
import { randomGtin, symbolDigits } from '../bench/sim/gtin.js';
import { profiles, type ScannerProfile } from '../bench/sim/profiles.js';
import { Random } from '../bench/sim/random.js';
import { Scanner, type ScannerStyle } from '../bench/sim/scanner.js';
import { decodeSerial } from './serial-codes.js';

const quiet: ScannerProfile = {
  ...profiles.typical.scanner,
  splitShare: 0,
  doubleReadShare: 0,
  repeatReadShare: 0,
  dataBarShare: 0,
  dataBarNoAimShare: 0,
};

function scanner(style: ScannerStyle, overrides: Partial<ScannerProfile> = {}, seed = 1): Scanner {
  return new Scanner(new Random(seed), { ...quiet, ...overrides }, style);
}

t.test('EAN-13, EAN-8 and UPC-A are framed with their AIM identifier and the scanner\'s line end', async (t) => {
  const rng = new Random(2);
  const ean13 = randomGtin(rng, 'ean13');
  const ean8 = randomGtin(rng, 'ean8');
  const upca = randomGtin(rng, 'upca');
  const s = scanner({ aim: true, suffix: 'CRLF' });
  s.read(1, ean13, false);
  s.read(2, ean8, false);
  s.read(3, upca, false);
  t.same(s.reads.map((r) => r.data), [`]E0${ean13.slice(1)}\r\n`, `]E4${ean8.slice(6)}\r\n`, `]E0${upca.slice(1)}\r\n`]);
  const bare = scanner({ aim: false, suffix: 'CR' });
  bare.read(1, ean8, false);
  bare.read(2, upca, false);
  t.same(bare.reads.map((r) => r.data), [`${symbolDigits(ean8)}\r`, `${symbolDigits(upca)}\r`], 'without AIM the symbol\'s own digits');
});

t.test('a DataBar reads as a GS1 element string: (01), and (10) closed by GS when (17) follows', async (t) => {
  const gtin = randomGtin(new Random(3), 'ean13');
  const s = scanner({ aim: true, suffix: 'LF' }, { dataBarShare: 1, expiryShare: 1, lotShare: 1 });
  s.read(1, gtin, true);
  t.match(s.reads[0]!.data, new RegExp(`^\\]e001${gtin}10L[0-9]+\\x1d17[0-9]{6}\\n$`));
  const plain = scanner({ aim: true, suffix: 'LF' }, { dataBarShare: 1, expiryShare: 0, lotShare: 1 });
  plain.read(1, gtin, true);
  t.match(plain.reads[0]!.data, new RegExp(`^\\]e001${gtin}10L[0-9]+\\n$`), 'a batch at the end needs no GS');
  const noLabel = scanner({ aim: true, suffix: 'LF' }, { dataBarShare: 1 });
  noLabel.read(1, gtin, false);
  t.equal(noLabel.reads[0]!.data, `]E0${gtin.slice(1)}\n`, 'a product without a DataBar label reads as its EAN');
});

t.test('split reads put the same bytes on the line, their pieces a few milliseconds apart', async (t) => {
  const rng = new Random(4);
  const s = scanner({ aim: true, suffix: 'CRLF' }, { splitShare: 1, threePartShare: 0.5 });
  const whole = scanner({ aim: true, suffix: 'CRLF' });
  const gtins = Array.from({ length: 50 }, () => randomGtin(rng, 'ean13'));
  gtins.forEach((g, i) => {
    s.read(i * 10, g, false);
    whole.read(i * 10, g, false);
  });
  t.equal(s.reads.map((r) => r.data).join(''), whole.reads.map((r) => r.data).join(''));
  t.ok(s.reads.length > gtins.length, 'reads were split');
  const gaps = s.reads.slice(1).map((r, i) => r.t - s.reads[i]!.t).filter((g) => g < 1);
  t.ok(gaps.every((g) => g >= 0.004 && g <= 0.036), 'pieces 4-36 ms apart');
  t.same(decodeSerial(s.reads).map((c) => c.gtin), gtins, 'every code reads back whole');
});

t.test('the scanner repeating itself shows as a second code in the read, or a second read within 1 s', async (t) => {
  const gtin = randomGtin(new Random(5), 'ean13');
  const doubled = scanner({ aim: false, suffix: 'LF' }, { doubleReadShare: 1 });
  const times = doubled.read(10, gtin, false);
  t.equal(doubled.reads.length, 1);
  t.equal(doubled.reads[0]!.data, `${gtin.slice(1)}\n${gtin.slice(1)}\n`);
  t.same(times.repeats, [10]);
  const repeated = scanner({ aim: false, suffix: 'LF' }, { repeatReadShare: 1 });
  const again = repeated.read(10, gtin, false);
  t.equal(repeated.reads.length, 2);
  t.ok(again.repeats[0]! > 10 && again.repeats[0]! < 11, 'within a second');
});

t.test('reads never interleave on the line: a label read while the last one is repeated waits for it', async (t) => {
  // field 2799 trip 50 showed a repeat of one label landing between the two pieces of the next.
  const [a, b] = [randomGtin(new Random(6), 'ean13'), randomGtin(new Random(7), 'ean13')];
  for (let seed = 1; seed <= 40; seed++) {
    const s = scanner({ aim: true, suffix: 'CR' }, { repeatReadShare: 1, splitShare: 1 }, seed);
    const first = s.read(10, a, false);
    const second = s.read(first.repeats[0]!, b, false);
    const line = [...s.reads].sort((x, y) => x.t - y.t).map((r) => r.data).join('');
    t.same(line.split('\r').filter(Boolean).sort(), [a, a, b, b].map((g) => `]E0${g.slice(1)}`).sort(), `seed ${seed}: whole reads on the line`);
    t.ok(second.t >= first.repeats[0]!, `seed ${seed}: the second label's read starts once the repeat is on the line`);
  }
});
