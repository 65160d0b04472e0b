/**
 * Run progress: a live one-line counter on a terminal, plain lines (one per failure and a
 * tally every 200 tests) when the output is not a TTY (CI logs).
 * @module
 */
import type { TestResult } from '../../reports/index.ts';

export class Progress {
  private n = 0;
  private bad = 0;
  private outside = 0;
  private readonly tty: boolean;
  constructor(private readonly out: NodeJS.WriteStream) {
    this.tty = Boolean(out.isTTY) && !process.env.CI;
  }
  tick(r: TestResult): void {
    this.n++;
    if (r.verdict === 'out-of-scope') this.outside++;
    else if (r.verdict !== 'pass' && r.verdict !== 'xfail') this.bad++;
    if (this.tty) {
      this.out.write(`\r\x1b[K${this.n} tests, ${this.bad} not passing — ${r.name.slice(0, 90)}`);
    } else {
      if (r.verdict === 'fail' || r.verdict === 'error') this.out.write(`${r.verdict.toUpperCase()} ${r.name}\n`);
      if (this.n % 200 === 0) this.out.write(`… ${this.n} tests, ${this.bad} not passing${this.scopeNote()}\n`);
    }
  }
  done(): void {
    if (this.tty) this.out.write('\r\x1b[K');
    this.out.write(`${this.n} tests, ${this.bad} not passing${this.scopeNote()}\n`);
  }
  private scopeNote(): string {
    return this.outside > 0 ? `, ${this.outside} out of scope` : '';
  }
}
