import { fail } from '../../check.js';
import type { Check } from '../../check.js';
import { toTeeError } from '../../errors.js';
import { pemBlocks, looksLikePem } from '../../pki/pem.js';
import { sameName } from '../../pki/name.js';
import type { Certificate } from '../../pki/x509.js';
import { CERT_DATA_NAMES, CERT_DATA_PCK_CHAIN, CERT_DATA_PCK_LEAF, CERT_DATA_PPID_TYPES, pckChainPem } from './auth-data.js';
import type { DcapContext } from './context.js';
import { DCAP_CHECKS } from './checks.js';

const CHAIN = DCAP_CHECKS.pckChain;
const PCK_LEAF_CN = 'Intel SGX PCK Certificate';

/** The PCK certificates to verify, leaf first, and which of them came from the supplied collateral. */
export interface PckCerts {
  certs: Certificate[];
  /** Certificates taken from collateral.certs: marked used once the chain verifies. */
  supplied: Certificate[];
}

/**
 * Where the PCK chain comes from. Type 5: the quote's own chain, always (a supplied chain is then not
 * used). Type 4: the quote's leaf, completed with a supplied PCK CA. Types 1-3: a supplied chain (a PEM
 * collateral file or a bundle's pck_certificate_chain), as PCS returns it for the quote's PPID.
 * Pushes a failing dcap.pck.chain and returns undefined when there is none.
 */
export async function pckCertificates(ctx: DcapContext): Promise<PckCerts | undefined> {
  const type = ctx.quote.qe.innerType;
  try {
    if (type === CERT_DATA_PCK_CHAIN) return { certs: quoteChain(ctx), supplied: [] };
    if (type === CERT_DATA_PCK_LEAF) return completeChain(ctx, quoteLeaf(ctx), false);
    if (CERT_DATA_PPID_TYPES.includes(type)) {
      const leaf = await suppliedLeaf(ctx);
      if (leaf) return completeChain(ctx, leaf, true);
      ctx.checks.push(missingChain(type));
      return undefined;
    }
  } catch (e) {
    ctx.checks.push(
      fail(
        CHAIN,
        `The PCK certificate in the quote does not parse: ${toTeeError(e).message}.`,
        'CERT_CHAIN_INVALID',
        'Obtain the quote again; the certification data is damaged.',
      ),
    );
    return undefined;
  }
  ctx.checks.push(
    fail(
      CHAIN,
      `The quote carries certification data type ${type} (${CERT_DATA_NAMES[type] ?? 'unknown'}), from which no PCK certificate can be had.`,
      'COLLATERAL_MISSING',
      "Configure the platform's quote provider (QPL) to embed the PCK certificate chain (type 5).",
    ),
  );
  return undefined;
}

function missingChain(type: number): Check {
  return fail(
    CHAIN,
    `The quote carries certification data type ${type} (${CERT_DATA_NAMES[type]}) instead of the PCK certificate chain (type 5), and no PCK certificate chain was supplied.`,
    'COLLATERAL_MISSING',
    'Supply the PCK certificate: a PEM file with the PCK leaf and its PCK CA (as Intel PCS /sgx/certification/v4/pckcert returns it for this PPID), or a bundle with "pck_certificate_chain"; or configure the platform\'s quote provider (QPL) to embed the chain.',
  );
}

function quoteChain(ctx: DcapContext): Certificate[] {
  const pem = pckChainPem(ctx.quote.qe);
  const certs = pemBlocks(pem, 'CERT_CHAIN_INVALID')
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => ctx.cache.cert(b.der));
  if (certs.length === 0) throw new Error('no certificate in the PCK chain');
  return certs;
}

/** Type 4 carries one certificate; Intel does not fix its encoding, so PEM and DER are both read. */
function quoteLeaf(ctx: DcapContext): Certificate {
  const text = pckChainPem(ctx.quote.qe);
  if (looksLikePem(text)) return quoteChain(ctx)[0]!;
  return ctx.cache.cert(ctx.quote.qe.certData);
}

/**
 * A supplied PCK leaf. With several (a fleet's PCK certificates in one bundle), the one whose key signed
 * this quote's QE report is this platform's; dcap.qe-report.signature checks that signature again and
 * reports it. When none verifies, the first, so that the failure names a certificate.
 */
async function suppliedLeaf(ctx: DcapContext): Promise<Certificate | undefined> {
  const leaves = ctx.collateral.certs.filter((c) => c.subject.cn === PCK_LEAF_CN && !c.basicConstraints?.ca);
  if (leaves.length <= 1) return leaves[0];
  for (const leaf of leaves) if (await signedQeReport(ctx, leaf)) return leaf;
  return leaves[0];
}

async function signedQeReport(ctx: DcapContext, leaf: Certificate): Promise<boolean> {
  const key = leaf.publicKey;
  if (key.curve !== 'P-256' || !key.point) return false;
  const qe = ctx.quote.qe;
  return ctx.crypto
    .verifyEcdsa({ curve: 'P-256', hash: 'SHA-256', publicKey: key.point, signature: qe.reportSignature, message: qe.report.raw })
    .catch(() => false);
}

/** Leaf plus its issuing PCK CA from the supplied certificates; the pinned root is found by verifyChain. */
function completeChain(ctx: DcapContext, leaf: Certificate, leafSupplied: boolean): PckCerts {
  const ca = ctx.collateral.certs.find((c) => c.basicConstraints?.ca && sameName(c.subject, leaf.issuer) && !ctx.roots.includes(c));
  const certs = ca ? [leaf, ca] : [leaf];
  return { certs, supplied: [...(leafSupplied ? [leaf] : []), ...(ca ? [ca] : [])] };
}
