// Host feedback: the scanner beeps when the cart has accepted and saved a
// scan (or refused it), not merely when it decoded a symbol. Each family has
// its own commands; "none" leaves the scanner's own good-read beep alone.
import type { ScannerFamily } from './scanner.js';

const ESC = 0x1b;

/**
 * Honeywell "Host ACK" (Xenon/Granit/Voyager user guides, Host ACK
 * Responses): with Host ACK On the scanner stays silent after a read until
 * the host sends [ESC]7, (good read tone) or [ESC]8, (error tone); it gives
 * an error tone by itself after 10 s without an answer.
 */
function honeywell(ok: boolean): Buffer {
  return Buffer.from([ESC, ok ? 0x37 : 0x38, 0x2c]);
}

/** Zebra SSI opcode BEEP, sent by the host. */
const SSI_BEEP = 0xe6;
const SSI_SOURCE_HOST = 0x04;
/** SSI beep codes: short high tones for accepted, long low tones for refused. */
const SSI_BEEP_ACCEPTED = 0x01;
const SSI_BEEP_REFUSED = 0x12;

/**
 * One SSI packet: length (of everything but the checksum), opcode, message
 * source, status, data, then the 16-bit two's complement of the byte sum,
 * high byte first.
 */
export function ssiPacket(opcode: number, data: number[]): Buffer {
  const body = [4 + data.length, opcode, SSI_SOURCE_HOST, 0x00, ...data];
  const sum = body.reduce((a, b) => a + b, 0);
  const checksum = (0x10000 - sum) & 0xffff;
  return Buffer.from([...body, checksum >> 8, checksum & 0xff]);
}

/** The bytes that make the scanner say "accepted" or "refused"; null for a family that is told nothing. */
export function feedbackBytes(family: ScannerFamily, ok: boolean): Buffer | null {
  switch (family) {
    case 'none':
      return null;
    case 'honeywell':
      return honeywell(ok);
    case 'zebra-ssi':
      return ssiPacket(SSI_BEEP, [ok ? SSI_BEEP_ACCEPTED : SSI_BEEP_REFUSED]);
  }
}

const SSI_CMD_ACK = 0xd0;
const SSI_CMD_NAK = 0xd1;

/**
 * A Zebra scanner in SSI mode answers each host command with an ACK or NAK
 * packet, in the same byte stream as the barcodes it sends raw. This takes
 * those packets out before framing, so that their bytes (the checksum may be
 * printable) never join a barcode. A packet may be split across reads.
 */
export class SsiReplyFilter {
  /** Bytes held back at the end of the last read: the start of what may be a reply packet. */
  private held: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer {
    const bytes = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    this.held = Buffer.alloc(0);
    const out: number[] = [];
    let i = 0;
    while (i < bytes.length) {
      const length = bytes[i] as number;
      const isReplyStart = (length === 4 || length === 5) && (i + 1 >= bytes.length || bytes[i + 1] === SSI_CMD_ACK || bytes[i + 1] === SSI_CMD_NAK);
      if (!isReplyStart) {
        out.push(length);
        i++;
        continue;
      }
      const packetLength = length + 2;
      if (i + packetLength > bytes.length) {
        this.held = Buffer.from(bytes.subarray(i));
        break;
      }
      i += packetLength;
    }
    return Buffer.from(out);
  }
}
