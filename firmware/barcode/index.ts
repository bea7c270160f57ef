// The barcode stage's public face: decoding, repeat suppression, config.
export { checkBarcodeConfig, defaultBarcodeConfig, BarcodeConfigError, type BarcodeConfig } from './config.js';
export { decodeBarcode, type BarcodeProductScan, type BarcodeStoreCodeScan, type DecodeResult, type PluScan, type ProductSource, type RejectedScan } from './decode.js';
export { ScanDeduper } from './deduper.js';
export type { Gs1Element } from './element-string.js';
export { createScanStage, defaultRepeatWindowSec, type ScanStage, type ScanStageOptions, type ScanStageOutput } from './stage.js';
export type { StoreCodeRule } from './store-codes.js';
export { variableMeasurePresets, type VariableMeasureLayout, type VariableMeasurePreset } from './variable-measure.js';
export { defaultFramerOptions, ScanFramer, type FramerOptions } from '../../drivers/scanner/framer.js';
export type { Frame } from '../../drivers/scanner/scanner.js';
