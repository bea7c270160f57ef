// Writes a verification report beside each other as .json, .txt and, when
// asked, .html; returns the paths written.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reportHtml } from './html.js';
import { reportStem, type VerificationReport } from './report.js';
import { reportText } from './text.js';

export async function writeReport(report: VerificationReport, dir: string, html: boolean): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stem = join(dir, reportStem(report));
  const files: [string, string][] = [[`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`], [`${stem}.txt`, reportText(report)]];
  if (html) files.push([`${stem}.html`, reportHtml(report)]);
  for (const [path, text] of files) await writeFile(path, text);
  return files.map(([path]) => path);
}
