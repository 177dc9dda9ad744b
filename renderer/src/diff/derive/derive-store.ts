import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { ReferenceSetJson } from '../../../../app/appraisal/create-reference.js';
import { initialForm } from './derive.js';
import type { DeriveForm } from './derive.js';

/**
 * The derive panel's state, outside the component: verifying again (after "Use as golden values") unmounts the
 * result views, and the chosen files and derived values must still be there when they come back.
 */
interface DeriveState {
  form: DeriveForm;
  busy: boolean;
  derived?: ReferenceSetJson;
  error?: string;
  /** The user changed the form: then it is no longer set from the shown evidence's technology. */
  touched: boolean;
  /** What the last drop placed where, in words. */
  dropped?: string;
}

export const deriveStore = createStore<DeriveState>(() => ({ form: initialForm(undefined), busy: false, touched: false }));
export const useDerive = <T>(select: (s: DeriveState) => T): T => useStore(deriveStore, select);
