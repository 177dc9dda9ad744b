/** The I/O side of reports: writing them, signing EAR tokens and verifying them (app/report is the pure side). */
export { writeReportOutputs } from './write.js';
export type { ReportOutputs } from './write.js';
export { signEar, verifyEar, verifyJws } from './jws.js';
export { openReportBytes } from './open.js';
export type { EarClaimsView, Opened, OpenedToken, OpenOptions, SignatureState, TokenSignature } from './open.js';
