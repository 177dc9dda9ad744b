/**
 * Public keys of the EAR signing keys published as examples by the projects whose tokens the app opens.
 * Their private halves are in public repositories, so anyone can sign with them: a token "verified" with one
 * of these proves nothing about who made it. Only the public coordinates are kept here (JWK x and y,
 * base64url), taken from, or derived from, the files named.
 */
export interface ExampleKey {
  source: string;
  crv: 'P-256';
  x: string;
  y: string;
}

export const EXAMPLE_KEYS: readonly ExampleKey[] = [
  {
    source: 'the example EAR signing key of veraison/ear (arc/data/skey.json)',
    crv: 'P-256',
    x: 'usWxHK2PmfnHKwXPS54m0kTcGJ90UiglWiGahtagnv8',
    y: 'IBOL-C3BttVivg-lSreASjpkttcsz-1rb7btKLv8EX4',
  },
  {
    source: 'the example EAR signing key of veraison/rust-ear (README, misc/ec_key_pub.jwk)',
    crv: 'P-256',
    x: 'G8fAud93NgCg8C_0bY1YqVZ5zNlkb-cNsGTQia7m0is',
    y: 'RK1gonvUKKQOCSHDwz3SiN9EijCqmXS4sDeRbc8RnL0',
  },
  {
    source: "the token signing key of trustee's attestation-service tests (attestation-service/tests/fixtures/jwk/signing-key.pem)",
    crv: 'P-256',
    x: 'ANbJDpVEC_bNPvuKERn1FkQMSuPWEzIQ7Y-kl3K0yEo',
    y: 'eba_t8dP5Et0TPv0jdtCWba8l78-lTtyJSwWq0q0IQA',
  },
];

/** The published example key with these coordinates, if it is one. */
export function exampleKeyOf(jwk: { crv?: unknown; x?: unknown; y?: unknown } | undefined): ExampleKey | undefined {
  if (!jwk) return undefined;
  return EXAMPLE_KEYS.find((k) => k.crv === jwk.crv && k.x === jwk.x && k.y === jwk.y);
}
