import type { EarClaimsView } from '../../../main/api/types.js';

/** The EAR token's claims as it states them: one row per submodule, then who issued it, when, and for which nonce. */
export function ClaimsTable({ claims }: { claims: EarClaimsView }) {
  const iat = claims.iat !== undefined ? new Date(claims.iat * 1000).toISOString().replace(/\.000Z$/, 'Z') : 'not stated';
  return (
    <table className="matrix opened-claims" data-testid="ear-claims">
      <caption>Claims stated in the token</caption>
      <thead>
        <tr>
          <th scope="col">Submodule</th>
          <th scope="col">ear.status</th>
          <th scope="col">Trustworthiness vector</th>
          <th scope="col">Policy</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(claims.submods).map(([name, s]) => (
          <tr key={name} data-submod={name}>
            <td>{name}</td>
            <td>{s.status}</td>
            <td className="mono">
              {Object.entries(s.trustVector)
                .map(([k, v]) => `${k} ${v}`)
                .join(' · ') || 'none stated'}
            </td>
            <td>{s.policyId ?? 'not stated'}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={4}>
            Verifier: {[claims.verifierId?.build, claims.verifierId?.developer].filter(Boolean).join(', ') || 'not stated'} · issued at (iat): {iat} · nonce:{' '}
            <span className="mono">{claims.nonce ?? 'none'}</span>
            {claims.profile ? ` · profile: ${claims.profile}` : ''}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
