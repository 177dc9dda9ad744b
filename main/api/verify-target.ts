import { dirname } from 'node:path';
import type { Verifier } from '../../app/verifier.js';
import { KnownHosts } from '../ssh/known-hosts.js';
import { acquireEvidence } from '../acquire/evidence.js';
import { TargetInputs } from '../fleet/inputs.js';
import type { ApiOptions } from './options.js';
import { targetsPath } from './options.js';
import type { HostKeyGate } from './host-keys.js';
import { secretId, sourceOf } from './targets.js';
import type { Target } from './targets.js';
import { verifyWithCollateral } from './verify-core.js';
import type { VerifyResponse } from './types.js';

export interface TargetVerifyContext {
  verifier: Verifier;
  options: ApiOptions;
  hostKeys: HostKeyGate;
  appVersion: string;
}

/**
 * One saved target, end to end: evidence over SSH or HTTPS (bound to a fresh nonce unless the target opts
 * out), the target's own collateral and reference files, missing collateral from the cache or the network,
 * then the verifier. A host-key error is remembered (so the user can confirm that exact key) and rethrown.
 */
export async function verifySavedTarget(ctx: TargetVerifyContext, t: Target, o: { offline: boolean; at: Date; signal?: AbortSignal }): Promise<VerifyResponse> {
  const file = targetsPath(ctx.options);
  const source = sourceOf(t, file);
  const knownHosts = source.kind === 'ssh' ? await ctx.hostKeys.load() : new KnownHosts();
  const passphrase = source.kind === 'ssh' ? await ctx.options.secrets.get(secretId(t.name, 'passphrase')) : undefined;
  const token = source.kind === 'https' ? await ctx.options.secrets.get(secretId(t.name, 'token')) : undefined;
  o.signal?.throwIfAborted();
  const acquired = await acquireEvidence(source, {
    knownHosts,
    nonce: t.nonce !== false,
    ...(passphrase ? { passphrase } : {}),
    ...(token ? { token } : {}),
    ...(ctx.options.ca ? { ca: ctx.options.ca } : {}),
    ...(ctx.options.collectorEnv ? { env: ctx.options.collectorEnv } : {}),
    ...(ctx.options.timeoutMs ? { timeoutMs: ctx.options.timeoutMs } : {}),
  }).catch((e: unknown) => {
    ctx.hostKeys.observe(e);
    throw e;
  });
  o.signal?.throwIfAborted();
  // The target's own files, relative to the targets file as for the CLI.
  const inputs = new TargetInputs(dirname(file));
  const supplied = await inputs.collateral(t);
  const reference = await inputs.referenceFile(t);
  const verified = await verifyWithCollateral(ctx.verifier, ctx.options, {
    evidence: { name: acquired.source, bytes: acquired.evidence },
    collateral: [...supplied, ...acquired.collateral],
    ...(acquired.attachments.length ? { attachments: acquired.attachments } : {}),
    ...(reference ? { reference } : {}),
    ...(acquired.nonce ? { nonce: acquired.nonce } : {}),
    ...(t.product ? { product: t.product } : {}),
    at: o.at,
    offline: o.offline,
  });
  const acquisition = {
    target: t.name,
    source: acquired.source,
    ...(acquired.provider ? { provider: acquired.provider } : {}),
    elapsedMs: Math.round(acquired.elapsedMs),
    nonce: Boolean(acquired.nonce),
    collateralFromTarget: acquired.collateral.map((c) => c.name),
    notes: acquired.notes,
  };
  return { ...verified, appVersion: ctx.appVersion, acquisition };
}
