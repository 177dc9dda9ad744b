/** Trust-boundary and threat-matrix data for the views: pure, faithful to ../shared/seeds, tied to a VerificationResult. */
export type {
  Cited,
  EvidenceState,
  InstanceStatus,
  IsolationModel,
  IsolationModelId,
  LayerEvidence,
  LayerId,
  LayerState,
  MatrixRow,
  Mitigation,
  SeedFile,
  SeedRef,
  Source,
  Technology,
  ThreatCategory,
  ThreatMatrix,
  ThreatRow,
  ThreatTable,
  ThreatTie,
  TrustLayer,
  VulnerabilityHistory,
} from './types.js';
export { ISOLATION_MODELS, LAYERS, isolationModel, trustBoundary } from './layers.js';
export { INSTANCE_STATUSES, threatMatrix, threatMatrixFor } from './matrix.js';
export { GENERAL_ROWS, SEV_COLUMNS, SEV_ROWS, SGX_HISTORY, SGX_ROWS, SNP_PRODUCT_ROWS, TDX_ROWS, allThreatRows, historyFor, threatTable } from './tables.js';
export { SEED_FILES, TECHNOLOGY_LABELS, asTechnology, citation, isSeedRef } from './seeds.js';
