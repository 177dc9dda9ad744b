import { main } from '../../main/cli.js';

/** Runs the CLI in-process with captured output and a fixed clock. */
export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), color: false, now: () => new Date('2025-07-19T10:00:00Z') });
  return { code, out, err };
}

/** The same with --format json, parsing the one JSON object the contract promises. */
export async function runCliJson(args: string[]) {
  const r = await runCli([...args, '--format', 'json']);
  return { ...r, json: JSON.parse(r.out) as Record<string, any> };
}
