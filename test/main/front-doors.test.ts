import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd, SSHD } from '../support/sshd.js';
import type { Sshd } from '../support/sshd.js';
import { runCliJson } from '../support/cli.js';
import { VECTORS_DIR } from '../support/vectors.js';
import { FLEET_AT, VECTOR, pinnedStore, tempDir, vectorTarget, writeTargets } from '../support/fleet.js';
import { tempApiOptions } from '../support/api-options.js';
import { createApi } from '../../main/api/handlers.js';
import type { VerifyResponse } from '../../main/api/types.js';
import type { VerificationResult } from '../../app/report/result.js';

/**
 * Issue 10 §2: the CLI, the API and the fleet run one pipeline, so the same target with the same files gives
 * the same result through each front door (evidence over SSH from a recorded vector, its collateral and
 * reference values, offline, at one pinned time).
 */
const skip = existsSync(SSHD) ? undefined : process.env.CI ? undefined : `no ${SSHD} (CI installs openssh-server)`;
let sshd: Sshd;
let dir: string;

before(async () => {
  if (skip) return;
  sshd = await startSshd();
  dir = tempDir('tee-doors-');
  copyFileSync(`${VECTORS_DIR}${VECTOR.tdx.collateral}`, join(dir, 'tdx.collateral.json'));
  copyFileSync(new URL('../../docs/examples/tdx-dcapqvl-v4.reference.json', import.meta.url), join(dir, 'tdx.reference.json'));
});
after(() => sshd?.stop());

test('CLI, API and fleet give the same result for the same target and files', { skip }, async () => {
  const spec = vectorTarget(sshd, 'td', VECTOR.tdx, { collateral: [join(dir, 'tdx.collateral.json')], reference: join(dir, 'tdx.reference.json') });
  const store = await pinnedStore(sshd, dir);
  const offline = ['--at', FLEET_AT, '--offline', '--cache-dir', join(dir, 'cache'), '--host-key-store', store];

  const reportFile = join(dir, 'cli-report.json');
  const cli = await runCliJson([
    'verify',
    spec.url,
    '--identity',
    sshd.identityFile,
    '--collector',
    spec.collector!,
    '--no-nonce',
    '--collateral',
    spec.collateral![0]!,
    '--reference',
    spec.reference!,
    '--report',
    reportFile,
    ...offline,
  ]);
  const reportDir = join(dir, 'fleet-reports');
  mkdirSync(reportDir);
  const fleet = await runCliJson(['fleet', 'verify', writeTargets(dir, [spec]), '--report-dir', reportDir, ...offline]);
  const { api } = createApi(
    { name: 'TEE Inspector', version: 'test', mode: 'browser' },
    tempApiOptions({ hostKeyStore: store, now: () => new Date(FLEET_AT) }),
  );
  await api.targetSave({
    target: {
      name: 'td',
      url: spec.url,
      identity: sshd.identityFile,
      collector: spec.collector!,
      nonce: false,
      collateral: spec.collateral!,
      reference: spec.reference!,
    },
  } as never);
  const viaApi = (await api.verifyTarget({ name: 'td', offline: true } as never)) as VerifyResponse;

  const results: [string, VerificationResult][] = [
    ['cli', cli.json],
    ['fleet', fleet.json.targets[0].result],
    ['api', viaApi.result],
  ];
  for (const [door, r] of results) assert.equal(r.verdict, 'verified', `${door}: ${JSON.stringify(r.errors)}`);
  const first = cli.json as VerificationResult;
  assert.equal(first.appraisal.reference?.matched, true, 'the reference values were applied');
  for (const [door, r] of results.slice(1)) assert.deepEqual(r, first, `${door} differs from the CLI`);
  // The report the CLI wrote and the one the app exports are the same but for when each was made.
  const { createdAt: _cliAt, ...cliReport } = JSON.parse(readFileSync(reportFile, 'utf8'));
  const { createdAt: _apiAt, ...apiReport } = JSON.parse(JSON.stringify(viaApi.report));
  assert.deepEqual(apiReport, cliReport, 'the API report differs from the CLI report');
  const fleetReportFile = fleet.json.targets[0].reportFile as string;
  assert.equal(fleetReportFile, join(reportDir, 'td.report.json'));
  const { createdAt: _fleetAt, ...fleetReport } = JSON.parse(readFileSync(fleetReportFile, 'utf8'));
  assert.deepEqual(fleetReport, cliReport, 'the fleet report differs from the CLI report');
  assert.equal(fleet.json.targets[0].report, undefined, 'the fleet JSON names the report file instead of carrying it');
  const recheck = await runCliJson(['recheck', fleetReportFile]);
  assert.equal(recheck.code, 0, JSON.stringify(recheck.json));
  assert.equal(recheck.json.agrees, true);
});
