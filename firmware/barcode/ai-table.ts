// The format of every GS1 Application Identifier, from the GS1 General
// Specifications, section 3.2 (Figure 3.2-1) as GS1 publishes it in machine
// form (the GS1 Barcode Syntax Dictionary, release 2024/2025).
//
// A format is the value's components in order, separated by spaces:
//   N = digits, X = GS1 character set 82, Y = set 39, Z = set 64;
//   a number is an exact length, "..n" is 1 to n characters;
//   [...] marks an optional last component;
//   ",csum" the component ends in a GS1 mod-10 check digit;
//   ",date" a YYMMDD date, ",date0" one whose day may be 00 (end of month).
// The last digit of the 31nn-36nn, 39nn families is a decimal point position.

const MEASURE = 'N6';

/** Families of trade and logistic measures, each n = 0..5 decimals (AIs 310n-369n). */
const MEASURE_FAMILIES = [
  '310', '311', '312', '313', '314', '315', '316',
  '320', '321', '322', '323', '324', '325', '326', '327', '328', '329',
  '330', '331', '332', '333', '334', '335', '336', '337',
  '340', '341', '342', '343', '344', '345', '346', '347', '348', '349',
  '350', '351', '352', '353', '354', '355', '356', '357',
  '360', '361', '362', '363', '364', '365', '366', '367', '368', '369',
];

/** AI, or the first and last AI of a run that shares one format. */
const FORMATS: [string, string][] = [
  ['00', 'N18,csum'],
  ['01', 'N14,csum'],
  ['02', 'N14,csum'],
  ['10', 'X..20'],
  ['11', 'N6,date0'],
  ['12', 'N6,date0'],
  ['13', 'N6,date0'],
  ['15', 'N6,date0'],
  ['16', 'N6,date0'],
  ['17', 'N6,date0'],
  ['20', 'N2'],
  ['21', 'X..20'],
  ['22', 'X..20'],
  ['235', 'X..28'],
  ['240', 'X..30'],
  ['241', 'X..30'],
  ['242', 'N..6'],
  ['243', 'X..20'],
  ['250', 'X..30'],
  ['251', 'X..30'],
  ['253', 'N13,csum [X..17]'],
  ['254', 'X..20'],
  ['255', 'N13,csum [N..12]'],
  ['30', 'N..8'],
  ['37', 'N..8'],
  ['3900-3909', 'N..15'],
  ['3910-3919', 'N3 N..15'],
  ['3920-3929', 'N..15'],
  ['3930-3939', 'N3 N..15'],
  ['3940-3943', 'N4'],
  ['3950-3955', 'N6'],
  ['400', 'X..30'],
  ['401', 'X..30'],
  ['402', 'N17,csum'],
  ['403', 'X..30'],
  ['410-417', 'N13,csum'],
  ['420', 'X..20'],
  ['421', 'N3 X..9'],
  ['422', 'N3'],
  ['423', 'N..15'],
  ['424', 'N3'],
  ['425', 'N..15'],
  ['426', 'N3'],
  ['427', 'X..3'],
  ['4300-4301', 'X..35'],
  ['4302-4306', 'X..70'],
  ['4307', 'X2'],
  ['4308', 'X..30'],
  ['4309', 'N10 N10'],
  ['4310-4311', 'X..35'],
  ['4312-4316', 'X..70'],
  ['4317', 'X2'],
  ['4318', 'X..20'],
  ['4319', 'X..30'],
  ['4320', 'X..35'],
  ['4321-4323', 'N1'],
  ['4324-4325', 'N6,date0 N4'],
  ['4326', 'N6,date'],
  ['4330-4333', 'N6 [X1]'],
  ['7001', 'N13'],
  ['7002', 'X..30'],
  ['7003', 'N6,date N4'],
  ['7004', 'N..4'],
  ['7005', 'X..12'],
  ['7006', 'N6,date'],
  ['7007', 'N6,date [N6,date]'],
  ['7008', 'X..3'],
  ['7009', 'X..10'],
  ['7010', 'X..2'],
  ['7011', 'N6,date [N4]'],
  ['7020-7022', 'X..20'],
  ['7023', 'X..30'],
  ['7030-7039', 'N3 X..27'],
  ['7040', 'N1 X3'],
  ['710-715', 'X..20'],
  ['7230-7239', 'X2 X..28'],
  ['7240', 'X..20'],
  ['7241', 'N2'],
  ['7242', 'X..25'],
  ['8001', 'N14'],
  ['8002', 'X..20'],
  ['8003', 'N1 N13,csum [X..16]'],
  ['8004', 'X..30'],
  ['8005', 'N6'],
  ['8006', 'N14,csum N4'],
  ['8007', 'X..34'],
  ['8008', 'N8 [N..4]'],
  ['8009', 'X..50'],
  ['8010', 'Y..30'],
  ['8011', 'N..12'],
  ['8012', 'X..20'],
  ['8013', 'X..25'],
  ['8017-8018', 'N18,csum'],
  ['8019', 'N..10'],
  ['8020', 'X..25'],
  ['8026', 'N14,csum N4'],
  ['8030', 'Z..90'],
  ['8110', 'X..70'],
  ['8111', 'N4'],
  ['8112', 'X..70'],
  ['8200', 'X..70'],
  ['90', 'X..30'],
  ['91-99', 'X..90'],
];

function expand(range: string): string[] {
  const [first, last = first] = range.split('-') as [string, string?];
  const width = first.length;
  const out: string[] = [];
  for (let n = Number(first); n <= Number(last); n++) out.push(String(n).padStart(width, '0'));
  return out;
}

/** Every AI of the table with its format. */
export const AI_FORMATS: ReadonlyMap<string, string> = new Map([
  ...FORMATS.flatMap(([range, format]) => expand(range).map((ai): [string, string] => [ai, format])),
  ...MEASURE_FAMILIES.flatMap((family) => expand(`${family}0-${family}5`).map((ai): [string, string] => [ai, MEASURE])),
]);
