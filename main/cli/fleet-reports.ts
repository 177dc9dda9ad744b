import { join } from 'node:path';
import type { TargetSpec } from '../../app/acquire/targets-file.js';
import type { FleetOutcome } from '../fleet/run.js';
import { writeReportOutputs } from '../report/write.js';

/**
 * `fleet verify --report-dir DIR`: each appraised target's report as DIR/NAME.report.json, NAME the target's
 * name with anything but letters, digits, ".", "_" and "-" replaced by "_" (and its position added when two
 * names would then collide), so a target name can never reach outside DIR.
 */
export function reportFileNames(targets: readonly TargetSpec[]): string[] {
  const safe = targets.map(
    (t) =>
      t.name
        .replace(/[^A-Za-z0-9._-]/g, '_')
        .replace(/^\.+/, '_')
        .slice(0, 120) || '_',
  );
  const count = new Map<string, number>();
  for (const s of safe) count.set(s.toLowerCase(), (count.get(s.toLowerCase()) ?? 0) + 1);
  return safe.map((s, i) => `${count.get(s.toLowerCase())! > 1 ? `${s}-${i + 1}` : s}.report.json`);
}

/** Writes the outcome's report, if it has one; the path written, or undefined. */
export async function writeFleetReport(dir: string, file: string, o: FleetOutcome): Promise<string | undefined> {
  if (!o.report) return undefined;
  const path = join(dir, file);
  await writeReportOutputs(o.report, { reportFile: path });
  return path;
}
