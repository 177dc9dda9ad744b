import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @tinfoilsh/verifier 1.1.0, the same steps as its verifySevReport (parse, chain from the VCEK to its
 * pinned Genoa ARK/ASK, report signature, policy validation), minus base64/gzip decoding, and with its
 * default validation options except the platform-info requirement: its default demands TSME, which the
 * Azure Genoa report does not have. It verifies against the wall clock and does no CRL check.
 * The steps are internal modules (the package exports only its document-level API), loaded by path.
 * Its public verifyAttestation({ format: sev-snp-guest/v2, body: base64(gzip(report)) }, base64(VCEK DER))
 * rejects the Azure Genoa report with "Platform policy violation: TSME (transparent SME) is required but
 * not enabled"; with the platform-info check dropped it verifies, and a flipped byte anywhere in the report
 * (or in the VCEK) is rejected. It accepts Genoa only (ARK-Genoa/SEV-Genoa pinned).
 */
export async function makeTinfoilVerifier(report: Uint8Array, vcekDer: Uint8Array): Promise<() => Promise<string>> {
  const dist = dirname(createRequire(import.meta.url).resolve('@tinfoilsh/verifier'));
  const load = async (f: string) => (await import(pathToFileURL(join(dist, 'sev', f)).href)) as Record<string, any>;
  const [{ Report }, { CertificateChain }, { verifyAttestation }, { validateReport, defaultValidationOptions }] = (await Promise.all(
    ['report.js', 'cert-chain.js', 'verify.js', 'validation.js'].map(load),
  )) as any[];
  const options = { ...defaultValidationOptions, platformInfo: undefined };
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  return async () => {
    const parsed = new Report(report);
    const chain = await CertificateChain.fromReport(parsed, vcekDer);
    if (!(await verifyAttestation(chain, parsed))) throw new Error('tinfoil: signature or chain invalid');
    validateReport(parsed, chain, options);
    return hex(parsed.measurement);
  };
}
