// The technician's side of a procedure: in the terminal (instructions, a
// progress line redrawn in place, y/N questions) or as JSON lines for a
// script on the bench. `--yes` answers every question yes.
import { createInterface } from 'node:readline';
import type { LiveReading } from '../../firmware/control/index.js';
import type { Guide, Instruction } from '../procedure/guide.js';
import { paint, type Style } from './style.js';

/** A line from stdin; Ctrl-C while asking goes to the process's own handler. */
export function askLine(question: string, out: NodeJS.WritableStream): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: out, terminal: process.stdin.isTTY === true });
  rl.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
  return new Promise((resolve) => {
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer.trim());
    });
    // stdin at its end answers nothing: no.
    rl.on('close', () => {
      if (!answered) resolve('');
    });
  });
}

const yes = (answer: string) => /^y(es)?$/i.test(answer);

export class TerminalGuide implements Guide {
  #statusShown = false;
  #lastStatusSec = -Infinity;

  constructor(private readonly out: NodeJS.WritableStream, private readonly style: Style, private readonly assumeYes: boolean) {}

  instruct(i: Instruction): void {
    this.#clearStatus();
    this.out.write(`\n${paint(this.style, 'bold', `Step ${i.step}/${i.of} (${i.part})`)}  ${i.text}\n`);
  }

  waiting(r: LiveReading): void {
    // On a terminal, one status line redrawn four times a second; elsewhere, silence.
    if (!this.style.tty || r.atSec - this.#lastStatusSec < 0.25) return;
    this.#lastStatusSec = r.atSec;
    const health = r.health === 'ok' ? '' : `  load cells ${r.health}`;
    this.out.write(`\r\x1b[2K  waiting for the load to rest: ${r.state}, ${r.totalGrams.toFixed(1)} g${health}`);
    this.#statusShown = true;
  }

  note(text: string): void {
    this.#clearStatus();
    this.out.write(`  ${text}\n`);
  }

  async confirm(question: string): Promise<boolean> {
    this.#clearStatus();
    if (this.assumeYes) {
      this.out.write(`${question}? yes (--yes)\n`);
      return true;
    }
    return yes(await askLine(`${question}? [y/N] `, this.out));
  }

  #clearStatus(): void {
    if (this.#statusShown) this.out.write('\r\x1b[2K');
    this.#statusShown = false;
  }
}

/** One JSON object per line on stdout: {"event": "instruction" | "note" | "question", ...}; answers are read from stdin. */
export class JsonGuide implements Guide {
  constructor(private readonly out: NodeJS.WritableStream, private readonly assumeYes: boolean) {}

  instruct(i: Instruction): void {
    this.#emit({ event: 'instruction', ...i });
  }

  waiting(): void {}

  note(text: string): void {
    this.#emit({ event: 'note', text });
  }

  async confirm(question: string): Promise<boolean> {
    this.#emit({ event: 'question', text: question, answered: this.assumeYes ? 'yes' : null });
    return this.assumeYes || yes(await askLine('', this.out));
  }

  #emit(event: object): void {
    this.out.write(`${JSON.stringify(event)}\n`);
  }
}
