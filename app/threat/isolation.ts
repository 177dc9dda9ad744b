/** The seed's four trust-boundary pictures (000: "Trust Boundary: Elements with the potential to access confidential data"). */
export type IsolationModelId = 'none' | 'vm' | 'process' | 'function';
