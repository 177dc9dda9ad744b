import { equalBytes } from '../../bytes/hex.js';
import type { TdReportBody } from '../tdx/td-report.js';
import type { ModuleTcbLevel, TcbInfo, TcbLevel, TdxModuleIdentity } from './tcb-info.js';
import type { PckExtensions } from './pck-extensions.js';

/**
 * TCB level matching as Intel's QVL does it: levels are listed newest first and the first level
 * that every component of this platform meets or exceeds is the platform's level.
 */
export function matchPlatformLevel(info: TcbInfo, pck: PckExtensions, td?: TdReportBody): TcbLevel | undefined {
  // When TEE_TCB_SVN[1] (the TDX module major version) is set and Intel lists module identities,
  // indices 0-1 are judged by the module identity (matchTdxModule) instead.
  const tdxStart = td && usesModuleIdentity(info, td) ? 2 : 0;
  return info.tcbLevels.find((level) => {
    if (pck.pceSvn < level.pceSvn) return false;
    if (level.sgxComponents.some((svn, i) => (pck.tcbComponents[i] ?? 0) < svn)) return false;
    if (!td) return true;
    const tdx = level.tdxComponents;
    if (!tdx) return false;
    for (let i = tdxStart; i < 16; i++) if (td.teeTcbSvn[i]! < tdx[i]!) return false;
    return true;
  });
}

/** The first level whose ISVSVN this enclave or module meets: QE identity and TDX module levels. */
export function matchIsvLevel(levels: readonly ModuleTcbLevel[], isvSvn: number): ModuleTcbLevel | undefined {
  return levels.find((l) => isvSvn >= l.isvSvn);
}

export interface ModuleMatch {
  problem?: string;
  identity?: TdxModuleIdentity;
  level?: ModuleTcbLevel;
}

function usesModuleIdentity(info: TcbInfo, td: TdReportBody): boolean {
  return td.teeTcbSvn[1]! > 0 && info.tdxModuleIdentities.length > 0;
}

/** TDX module identity: MRSIGNERSEAM and masked SEAMATTRIBUTES must be Intel's, and TDX_<major> gives the module's TCB level. */
export function matchTdxModule(info: TcbInfo, td: TdReportBody): ModuleMatch {
  const major = td.teeTcbSvn[1]!;
  const id = `TDX_${major.toString(16).toUpperCase().padStart(2, '0')}`;
  const byIdentity = usesModuleIdentity(info, td);
  const identity = byIdentity ? info.tdxModuleIdentities.find((m) => m.id === id) : undefined;
  // An unlisted major version must not fall back to tdxModule: its SVN would then be judged nowhere.
  if (byIdentity && !identity)
    return { problem: `the TCB info lists no TDX module identity ${id} (it lists ${info.tdxModuleIdentities.map((m) => m.id).join(', ')})` };
  const expected = identity ?? info.tdxModule;
  if (!expected) return {};
  if (!equalBytes(expected.mrSigner, td.mrSignerSeam))
    return { problem: `MRSIGNERSEAM is not the signer Intel lists for the TDX module${identity ? ` ${id}` : ''}` };
  const masked = td.seamAttributes.map((b, i) => b & expected.attributesMask[i]!);
  if (!equalBytes(masked, expected.attributes)) return { problem: 'SEAMATTRIBUTES differ from the TDX module attributes Intel lists' };
  if (!identity) return {};
  const level = matchIsvLevel(identity.tcbLevels, td.teeTcbSvn[0]!);
  if (!level) return { identity, problem: `TDX module ${id} SVN ${td.teeTcbSvn[0]} is below every TCB level Intel lists` };
  return { identity, level };
}
