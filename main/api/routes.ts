import { TeeError } from '../../app/errors.js';
import type { ApiMethod } from './schema.js';
import { validateNothing, validateOpenReport, validateSignEar, validateVerify } from './schema.js';
import {
  validateFleetStart,
  validateHistory,
  validateImportKnownHosts,
  validateJob,
  validateFleetResult,
  validateName,
  validateSecret,
  validateTargetSave,
  validateTrustHostKey,
  validateUnpinHostKey,
  validateVerifyTarget,
} from './validate-acquire.js';
import type { Api } from './handlers.js';

/**
 * Method name -> runtime validation -> handler. The table is typed as a Record over ApiMethod, so a method
 * added to the schema without a route (or a route without validation) does not compile.
 */
export function routes(api: Api): (method: ApiMethod, payload: unknown) => Promise<unknown> {
  const table: Record<ApiMethod, (payload: unknown) => Promise<unknown>> = {
    appInfo: (p) => (validateNothing('appInfo', p), api.appInfo()),
    verify: (p) => api.verify(validateVerify(p)),
    openReport: (p) => api.openReport(validateOpenReport(p)),
    signEar: (p) => api.signEar(validateSignEar(p)),
    targetsList: (p) => (validateNothing('targetsList', p), api.targetsList()),
    targetSave: (p) => api.targetSave(validateTargetSave(p)),
    targetRemove: (p) => api.targetRemove(validateName(p, 'targetRemove')),
    verifyTarget: (p) => api.verifyTarget(validateVerifyTarget(p)),
    trustHostKey: (p) => api.trustHostKey(validateTrustHostKey(p)),
    importKnownHosts: (p) => api.importKnownHosts(validateImportKnownHosts(p)),
    hostKeysList: (p) => (validateNothing('hostKeysList', p), api.hostKeysList()),
    unpinHostKey: (p) => api.unpinHostKey(validateUnpinHostKey(p)),
    fleetStart: (p) => api.fleetStart(validateFleetStart(p)),
    fleetStatus: (p) => api.fleetStatus(validateJob(p, 'fleetStatus')),
    fleetCancel: (p) => api.fleetCancel(validateJob(p, 'fleetCancel')),
    fleetResult: (p) => api.fleetResult(validateFleetResult(p)),
    history: (p) => api.history(validateHistory(p)),
    setSecret: (p) => api.setSecret(validateSecret(p, true)),
    clearSecret: (p) => api.clearSecret(validateSecret(p, false)),
  };
  return async (method, payload) => {
    // Own properties only: "__proto__" or "toString" never reach a handler.
    if (!Object.hasOwn(table, method)) throw new TeeError('USAGE_ERROR', `unknown method ${String(method)}`);
    return table[method](payload);
  };
}
