// From one frame (a barcode as the scanner sent it) to what it means for the
// basket: a product, a store code, a produce PLU, or a rejection with its
// reason. Pure: the same frame and config always give the same answer.
//
// Which reading applies follows the AIM symbology identifier when there is
// one (ISO/IEC 15424; EAN/UPC in ISO/IEC 15420 transmit UPC-A and UPC-E in
// 13-digit EAN form under ]E0, EAN-8 under ]E4). Without one, the shape of
// the data decides. A check digit that does not match is a rejection, never a
// repair.
import type { Frame } from '../../drivers/scanner/scanner.js';
import type { ProductScan, Seconds, StoreCodeScan } from '../domain.js';
import type { BarcodeConfig } from './config.js';
import { isDigitalLink, parseDigitalLink } from './digital-link.js';
import { GS, parseElementString, type ElementsResult, type Gs1Element } from './element-string.js';
import { productFromElements } from './gs1-product.js';
import { gtinFromDigits, gtinFromUpcE, isDigits, type GtinResult, type RetailSource } from './gtin.js';
import { readPlu } from './plu.js';
import { matchStoreCode } from './store-codes.js';
import { readVariableMeasure } from './variable-measure.js';

export type ProductSource = RetailSource | 'gs1' | 'digital-link' | 'variable-measure';

export interface BarcodeProductScan extends ProductScan {
  source: ProductSource;
  symbology: string | null;
  batch?: string;
  /** ISO date; a GS1 day 00 is the last day of the month. */
  expiry?: string;
  serial?: string;
  /** Every GS1 element of the code in order, AIs the cart does not read included. */
  elements?: Gs1Element[];
}

export interface BarcodeStoreCodeScan extends StoreCodeScan {
  symbology: string | null;
}

/** A produce price look-up code (IFPS); GS1 defines no GTIN for it. */
export interface PluScan {
  kind: 'plu-scan';
  atSec: Seconds;
  /** The 4-digit PLU, without the organic 9. */
  plu: string;
  organic: boolean;
  code: string;
  symbology: string | null;
}

export interface RejectedScan {
  kind: 'rejected';
  atSec: Seconds;
  code: string;
  symbology: string | null;
  reason: string;
}

export type DecodeResult = BarcodeProductScan | BarcodeStoreCodeScan | PluScan | RejectedScan;

/** AIM identifiers whose data is a GS1 element string: GS1-128, DataBar, GS1 DataMatrix, GS1 QR, GS1 DotCode. */
const GS1_SYMBOLOGIES = new Set([']C1', ']e0', ']d2', ']Q3', ']J1']);

type ProductFields = Omit<BarcodeProductScan, 'kind' | 'atSec' | 'code' | 'symbology'>;

function reject(frame: Frame, reason: string): RejectedScan {
  return { kind: 'rejected', atSec: frame.atSec, code: frame.data, symbology: frame.symbology, reason };
}

function product(frame: Frame, fields: ProductFields): BarcodeProductScan {
  return { kind: 'product-scan', atSec: frame.atSec, code: frame.data, symbology: frame.symbology, ...fields };
}

function retail(frame: Frame, result: GtinResult, config: BarcodeConfig): DecodeResult {
  if (!result.ok) return reject(frame, result.reason);
  const { gtin, source } = result;
  if ((source === 'ean-13' || source === 'upc-a') && config.variableMeasure.length > 0) {
    const vm = readVariableMeasure(gtin.slice(1), config.variableMeasure);
    if (vm && !vm.ok) return reject(frame, vm.reason);
    if (vm) return product(frame, { gtin: vm.gtin, source: 'variable-measure', measure: vm.measure });
  }
  return product(frame, { gtin, source });
}

function gs1(frame: Frame, parsed: ElementsResult, source: 'gs1' | 'digital-link', config: BarcodeConfig): DecodeResult {
  if (!parsed.ok) return reject(frame, parsed.reason);
  const read = productFromElements(parsed.elements, config.currency);
  if (!read.ok) return reject(frame, read.reason);
  return product(frame, { source, elements: parsed.elements, ...read.product });
}

function eanUpc(frame: Frame, symbology: string, config: BarcodeConfig): DecodeResult {
  const { data } = frame;
  if (!isDigits(data)) return reject(frame, 'EAN/UPC data must be digits');
  switch (symbology) {
    case ']E0':
      // 13 digits per ISO/IEC 15420; some scanners send UPC-A as 12, and UPC-E unexpanded as 8.
      if (data.length === 8) return retail(frame, gtinFromUpcE(data), config);
      if (data.length === 12 || data.length === 13) return retail(frame, gtinFromDigits(data), config);
      return reject(frame, `]E0 carries 13 digits, not ${data.length}`);
    case ']E4':
      return data.length === 8 ? retail(frame, gtinFromDigits(data), config) : reject(frame, `]E4 (EAN-8) carries 8 digits, not ${data.length}`);
    case ']E3': {
      // Main symbol followed by a 2- or 5-digit add-on; the add-on (issue number, book price) names no product.
      const main = data.length === 10 || data.length === 13 ? 8 : data.length === 15 || data.length === 18 ? 13 : 0;
      return main > 0 ? retail(frame, gtinFromDigits(data.slice(0, main)), config) : reject(frame, `]E3 with ${data.length} digits is no EAN with add-on`);
    }
    default:
      return reject(frame, `${symbology} is an add-on alone, it names no product`);
  }
}

/** No identifier, or one for a symbology that carries plain data (Code 128, QR, ITF...): the shape of the data decides. */
function plain(frame: Frame, config: BarcodeConfig): DecodeResult {
  const { data } = frame;
  if (isDigitalLink(data)) return gs1(frame, parseDigitalLink(data), 'digital-link', config);
  const allDigits = isDigits(data);
  if (allDigits && (data.length === 4 || data.length === 5)) {
    const plu = readPlu(data);
    return plu.ok ? { kind: 'plu-scan', atSec: frame.atSec, plu: plu.plu, organic: plu.organic, code: data, symbology: frame.symbology } : reject(frame, plu.reason);
  }
  if (allDigits && data.length <= 14) return retail(frame, gtinFromDigits(data), config);
  // Scanners that send no AIM identifier still send GS1 data: it begins with
  // the FNC1 as GS, or with (01) and its 14 digits.
  if (data.startsWith(GS) || /^01[0-9]{14}/.test(data)) return gs1(frame, parseElementString(data), 'gs1', config);
  return reject(frame, allDigits ? `${data.length} digits is no product code` : 'not a product code');
}

export function decodeBarcode(frame: Frame, config: BarcodeConfig): DecodeResult {
  const { symbology, data } = frame;
  if (data.length === 0) return reject(frame, 'no data after the symbology identifier');
  const store = matchStoreCode(data, config.storeCodes);
  if (store) return store.ok ? { kind: 'store-code', atSec: frame.atSec, purpose: store.purpose, code: data, symbology } : reject(frame, store.reason);
  if (symbology !== null && symbology.startsWith(']E')) return eanUpc(frame, symbology, config);
  if (symbology !== null && GS1_SYMBOLOGIES.has(symbology)) return gs1(frame, parseElementString(data), 'gs1', config);
  return plain(frame, config);
}
