import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { INTEL_SGX_ROOT_CA_DER, INTEL_SGX_ROOT_CA_SHA256 } from '../../app/roots/intel.js';
import { parseCertificate } from '../../app/pki/x509.js';

test('the pinned Intel SGX Root CA has the published fingerprint and is the self-signed root', () => {
  assert.equal(createHash('sha256').update(INTEL_SGX_ROOT_CA_DER).digest('hex'), INTEL_SGX_ROOT_CA_SHA256);
  const cert = parseCertificate(INTEL_SGX_ROOT_CA_DER);
  assert.equal(cert.subject.cn, 'Intel SGX Root CA');
  assert.equal(cert.issuer.text, cert.subject.text);
  assert.equal(cert.basicConstraints?.ca, true);
  assert.equal(new Date(cert.notAfter).toISOString(), '2049-12-31T23:59:59.000Z');
});
