// Barcode scanner on a serial port: what bytes a scan produces.
//
// Symbology identifiers follow ISO/IEC 15424 (AIM): ]E0 EAN-13 (UPC-A is sent
// as 13 digits with a leading 0 under ]E0), ]E4 EAN-8, ]C1 GS1-128, ]C0 plain
// Code 128, ]e0 GS1 DataBar, ]d2 GS1 DataMatrix. GS1 element strings (GS1
// General Specifications 5.4.7) use GS (0x1D) as FNC1 separator after a
// variable-length element string that is not the last one.
// Terminators CR, LF or CR LF are a per-scanner setting.

const GS = String.fromCharCode(29);
const SUFFIX = { CR: '\r', LF: '\n', CRLF: '\r\n' };

export function makeScannerConfig(rng) {
  return {
    aim: rng.chance(0.45),
    suffix: rng.pick(['CR', 'LF', 'CRLF']),
    splitProb: rng.uniform(0.05, 0.25),   // read split across two serial chunks
    repeatProb: rng.uniform(0.03, 0.15),  // scanner repeats the code within 1 s
  };
}

function yymmdd(rng) {
  const y = 26 + rng.int(0, 1), m = rng.int(1, 12), d = rng.int(1, 28);
  return String(y).padStart(2, '0') + String(m).padStart(2, '0') + String(d).padStart(2, '0');
}
function lot(rng) {
  const A = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
  let s = '';
  const n = rng.int(3, 8);
  for (let i = 0; i < n; i++) s += A[rng.int(0, A.length - 1)];
  return s;
}

// How one product is read. Returns the payload after the AIM prefix, and
// the prefix.
export function productSymbol(rng, cfg, product) {
  if (cfg.aim && product.gs1Label && rng.chance(0.6)) {
    const prefix = rng.pick([']e0', ']C1', ']d2']);
    let data = '01' + product.gtin;
    const form = rng.int(0, 2);
    if (form === 0) data += '17' + yymmdd(rng);
    else if (form === 1) data += '10' + lot(rng) + GS + '17' + yymmdd(rng); // variable AI 10 then GS
    else data += '17' + yymmdd(rng) + '10' + lot(rng);                   // variable AI last: no GS
    return { prefix, data };
  }
  if (product.fmt === 'ean8') return { prefix: ']E4', data: product.code };
  if (product.fmt === 'upca') return cfg.aim ? { prefix: ']E0', data: '0' + product.code } : { prefix: '', data: product.code };
  return { prefix: ']E0', data: product.code };
}

export function otherSymbol(rng, cfg, code) {
  if (code.sym === 'code128') return { prefix: ']C0', data: code.data };
  return { prefix: ']E0', data: code.data };
}

function frame(cfg, sym) {
  return (cfg.aim ? sym.prefix : '') + sym.data + SUFFIX[cfg.suffix];
}

// Serial chunks for one scan at time t. Returns { chunks:[{t,data}], repeated }.
export function scanChunks(rng, cfg, sym, t) {
  const one = frame(cfg, sym);
  const chunks = [];
  let first = one;
  let repeatLater = false;
  const repeated = rng.chance(cfg.repeatProb);
  if (repeated) {
    if (rng.chance(0.5)) first = one + one; // both reads in one chunk
    else repeatLater = true;
  }
  if (rng.chance(cfg.splitProb) && first.length > 2) {
    const cut = rng.int(1, first.length - 1);
    chunks.push({ t, data: first.slice(0, cut) });
    chunks.push({ t: t + rng.uniform(0.004, 0.04), data: first.slice(cut) });
  } else {
    chunks.push({ t, data: first });
  }
  if (repeatLater) chunks.push({ t: chunks[chunks.length - 1].t + rng.uniform(0.12, 0.6), data: one });
  return { chunks, repeated };
}
