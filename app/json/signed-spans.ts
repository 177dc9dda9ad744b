import { ParseError } from '../errors.js';

/**
 * Finds the exact byte span of each top-level member value of a JSON object. Intel PCS signs the
 * bytes of the `tcbInfo` / `enclaveIdentity` value as served, so it must be cut out, not re-serialised.
 */
export interface Span {
  start: number;
  end: number;
}

const MAX_DEPTH = 64;

export function topLevelSpans(bytes: Uint8Array): Map<string, Span> {
  const s = new Scanner(bytes);
  const spans = new Map<string, Span>();
  s.ws();
  s.expect(0x7b, 'object');
  s.ws();
  if (s.peek() === 0x7d) return spans;
  for (;;) {
    s.ws();
    const keyStart = s.pos;
    s.string();
    const key = new TextDecoder().decode(bytes.subarray(keyStart + 1, s.pos - 1));
    s.ws();
    s.expect(0x3a, 'colon');
    s.ws();
    const start = s.pos;
    s.value(0);
    spans.set(key, { start, end: s.pos });
    s.ws();
    if (s.peek() === 0x2c) {
      s.pos++;
      continue;
    }
    s.expect(0x7d, 'end of object');
    return spans;
  }
}

class Scanner {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}

  peek(): number {
    if (this.pos >= this.b.length) this.fail('unexpected end of JSON');
    return this.b[this.pos]!;
  }

  fail(message: string): never {
    throw new ParseError(message, { field: 'json', offset: this.pos }, 'MALFORMED_COLLATERAL');
  }

  expect(c: number, what: string): void {
    if (this.peek() !== c) this.fail(`expected ${what}`);
    this.pos++;
  }

  ws(): void {
    while (this.pos < this.b.length && (this.b[this.pos] === 0x20 || this.b[this.pos] === 0x0a || this.b[this.pos] === 0x0d || this.b[this.pos] === 0x09))
      this.pos++;
  }

  string(): void {
    this.expect(0x22, 'string');
    for (;;) {
      const c = this.peek();
      this.pos++;
      if (c === 0x22) return;
      if (c === 0x5c) this.pos++;
    }
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH) this.fail('JSON nested too deeply');
    const c = this.peek();
    if (c === 0x22) return this.string();
    if (c === 0x7b || c === 0x5b) return this.container(c === 0x7b ? 0x7d : 0x5d, depth);
    const start = this.pos;
    while (this.pos < this.b.length && !/[\s,}\]]/.test(String.fromCharCode(this.b[this.pos]!))) this.pos++;
    if (this.pos === start) this.fail('expected a JSON value');
  }

  private container(close: number, depth: number): void {
    this.pos++;
    for (;;) {
      this.ws();
      const c = this.peek();
      if (c === close) {
        this.pos++;
        return;
      }
      if (c === 0x2c || c === 0x3a) this.pos++;
      else this.value(depth + 1);
    }
  }
}
