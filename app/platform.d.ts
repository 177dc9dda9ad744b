/**
 * The few web-platform globals the pure core may use: they exist alike in browsers, Node and Electron.
 * app/ compiles without the DOM library and without Node's types (tsconfig.app.json), so anything else
 * — the DOM, node:*, Buffer, process, fetch — is a compile error here, not a code-review finding.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}

declare class URLSearchParams {
  get(name: string): string | null;
  set(name: string, value: string): void;
  has(name: string): boolean;
  toString(): string;
}

declare class URL {
  constructor(url: string, base?: string | URL);
  hash: string;
  host: string;
  hostname: string;
  href: string;
  readonly origin: string;
  password: string;
  pathname: string;
  port: string;
  protocol: string;
  search: string;
  readonly searchParams: URLSearchParams;
  username: string;
  toString(): string;
}

declare function btoa(data: string): string;
declare function atob(data: string): string;
