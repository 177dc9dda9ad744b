import type { AnchorSet, TeeModule, TechnologyInfo } from './module.js';
import type { RootStore } from '../roots/store.js';
import { dcapModule } from './dcap/module.js';
import { snpModule } from './snp/module.js';
import { azureVtpmModule } from './azure-vtpm/module.js';
import { tpmModule } from './tpm/module.js';

/**
 * Kept as a tuple so that the technology ids stay literal types (Technology below). Order is detect()'s:
 * the hardware formats first; Azure's HCL report ("HCLA") after them; TPM evidence only arrives as JSON.
 */
const MODULES = [dcapModule, snpModule, azureVtpmModule, tpmModule] as const;

/** Every supported technology module, tried in order by `detect`: the only list of technologies. */
export const TEE_MODULES: readonly TeeModule[] = MODULES;

/** Every technology some module produces ('sgx', 'tdx', 'sev-snp'): result.technology of a verified evidence. */
export type Technology = (typeof MODULES)[number]['technologies'][number]['id'];

export const TECHNOLOGIES: readonly Technology[] = MODULES.flatMap((m) => m.technologies.map((t) => t.id));

export function detectModule(bytes: Uint8Array): TeeModule | undefined {
  return TEE_MODULES.find((m) => m.detect(bytes));
}

export function isTechnology(id: string): id is Technology {
  return (TECHNOLOGIES as readonly string[]).includes(id);
}

/** A technology by its id or one of its aliases ('snp', the vector manifest's spelling of 'sev-snp'). */
export function technologyInfo(id: string): (TechnologyInfo & { id: Technology }) | undefined {
  const all = TEE_MODULES.flatMap((m) => m.technologies) as readonly (TechnologyInfo & { id: Technology })[];
  return all.find((t) => t.id === id || t.aliases?.includes(id));
}

/** The technology id for an id or alias; null when no module produces it. */
export function asTechnology(id: string): Technology | null {
  return technologyInfo(id)?.id ?? null;
}

/** What the user reads for a technology id ("Intel TDX"); an unknown id is shown as it is. */
export function technologyName(id: string): string {
  return technologyInfo(id)?.name ?? id;
}

/** The module that produces a technology (by id or alias), or has this module id ('dcap'). */
export function moduleFor(technologyOrModule: string): TeeModule | undefined {
  return TEE_MODULES.find(
    (m) => m.id === technologyOrModule || m.technologies.some((t) => t.id === technologyOrModule || t.aliases?.includes(technologyOrModule)),
  );
}

/** The anchors every module pins by default, by RootStore group. */
export function defaultRoots(): RootStore {
  const pinned = (set: AnchorSet) => TEE_MODULES.filter((m) => m.anchors.set === set).flatMap((m) => [...m.anchors.pinned()]);
  return { intel: pinned('intel'), amd: pinned('amd'), tpm: pinned('tpm') };
}
