// How a barcode scanner's bytes reach the cart's reader.
//
// A scanner transmits each decoded label as: optional AIM symbology identifier (ISO/IEC 15424),
// the data, then its configured suffix (CR, LF or CR LF). The bytes travel:
//  - RS-232 at 9600 or 115200 baud, 8N1: 10 bit times per byte (1.04 ms or 87 us). A 16550-style
//    UART raises its interrupt when the receive FIFO reaches its trigger level (1, 4, 8 or 14
//    bytes) and hands over the rest after a character time-out (4 character times of silence).
//  - USB CDC-ACM: the scanner sends the message in 64-byte bulk packets, one per 1 ms frame.
// The reader process wakes a little after each hand-over and reads everything that is waiting,
// so a label can arrive in several reads, and two labels can arrive in one.

const ifaceByteTime = { 'rs232-9600': 10 / 9600, 'rs232-115200': 10 / 115200 };

/** emissions: [{t, bytes}] sorted by t. Returns [{t, s}] serial lines. */
export function renderSerial(emissions, sc, rng) {
  const deliveries = [];
  let busyUntil = 0;
  for (const em of emissions) {
    let start = Math.max(em.t + rng.uniform(0.001, 0.004), busyUntil);
    const bytes = em.bytes;
    if (sc.iface === 'usb-cdc') {
      for (let k = 0; k < bytes.length; k += 64) {
        const at = start + rng.uniform(0.0005, 0.0015) + (k / 64) * 0.001;
        deliveries.push({ t: at, bytes: bytes.slice(k, k + 64) });
      }
      busyUntil = start + 0.002;
    } else {
      const bt = ifaceByteTime[sc.iface];
      let pending = '';
      for (let b = 0; b < bytes.length; b++) {
        pending += bytes[b];
        if (pending.length >= sc.fifo) {
          deliveries.push({ t: start + (b + 1) * bt + 2e-5, bytes: pending });
          pending = '';
        }
      }
      if (pending) deliveries.push({ t: start + bytes.length * bt + 4 * bt, bytes: pending });
      busyUntil = start + bytes.length * bt + 1e-4;
    }
  }
  deliveries.sort((a, b) => a.t - b.t);
  const lines = [];
  let i = 0;
  let lastT = 0;
  while (i < deliveries.length) {
    const readT = deliveries[i].t + rng.uniform(0.00005, sc.pollMs / 1000);
    let chunk = '';
    while (i < deliveries.length && deliveries[i].t <= readT) chunk += deliveries[i++].bytes;
    const t = Math.max(lastT, Math.round(readT * 1e4) / 1e4);
    lastT = t;
    lines.push({ t, s: `{"t":${t},"kind":"serial","data":${JSON.stringify(chunk)}}` });
  }
  return lines;
}
