import { fromBase64 } from '../bytes/base64.js';

/**
 * Intel SGX Root CA: the single trust anchor for SGX and TDX DCAP (PCK chain, TCB signing chain, CRLs).
 * Pinned by its bytes; the SHA-256 fingerprint below is asserted by a unit test against these bytes.
 * Published at https://certificates.trustedservices.intel.com/Intel_SGX_Provisioning_Certification_RootCA.cer
 */
export const INTEL_SGX_ROOT_CA_SHA256 = '44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3';

const INTEL_SGX_ROOT_CA_B64 =
  'MIICjzCCAjSgAwIBAgIUImUM1lqdNInzg7SVUr9QGzknBqwwCgYIKoZIzj0EAwIwaDEaMBgGA1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENvcnBvcmF0aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJBgNVBAYTAlVTMB4XDTE4MDUyMTEwNDUxMFoXDTQ5MTIzMTIzNTk1OVowaDEaMBgGA1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENvcnBvcmF0aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJBgNVBAYTAlVTMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEC6nEwMDIYZOj/iPWsCzaEKi71OiOSLRFhWGjbnBVJfVnkY4u3IjkDYYL0MxO4mqsyYjlBalTVYxFP2sJBK5zlKOBuzCBuDAfBgNVHSMEGDAWgBQiZQzWWp00ifODtJVSv1AbOScGrDBSBgNVHR8ESzBJMEegRaBDhkFodHRwczovL2NlcnRpZmljYXRlcy50cnVzdGVkc2VydmljZXMuaW50ZWwuY29tL0ludGVsU0dYUm9vdENBLmRlcjAdBgNVHQ4EFgQUImUM1lqdNInzg7SVUr9QGzknBqwwDgYDVR0PAQH/BAQDAgEGMBIGA1UdEwEB/wQIMAYBAf8CAQEwCgYIKoZIzj0EAwIDSQAwRgIhAOW/5QkR+S9CiSDcNoowLuPRLsWGf/Yi7GSX94BgwTwgAiEA4J0lrHoMs+Xo5o/sX6O9QWxHRAvZUGOdRQ7cvqRXaqI=';

export const INTEL_SGX_ROOT_CA_DER: Uint8Array = fromBase64(INTEL_SGX_ROOT_CA_B64)!;

/**
 * "Intel SGX TCB Signing": the certificate whose key signs every TCB info and QE identity Intel PCS serves.
 * PCS returns it only in the TCB-Info-Issuer-Chain / SGX-Enclave-Identity-Issuer-Chain response headers, so
 * a TCB info or QE identity saved as the bare JSON body has lost it. These are known intermediates, never
 * anchors: each use re-verifies the certificate's signature by the pinned Intel SGX Root CA and its validity
 * at the verification time (app/tee/dcap/check-collateral.ts). Intel re-issued it in 2025 with the same key
 * and serial and a new validity period; both issues are kept, so collateral of either era verifies.
 * Fingerprints are asserted by test/unit/dcap-tcb-signing.test.ts against these bytes.
 */
export interface KnownIntermediate {
  sha256: string;
  notBefore: string;
  notAfter: string;
  der: Uint8Array;
}

export const INTEL_TCB_SIGNING_CERTS: readonly KnownIntermediate[] = [
  {
    // Serial 7e3882d5fb55294a40498e458403e91491bdf455, 2018-05-21T10:50:10Z .. 2025-05-21T10:50:10Z
    // (from shared/vectors/tdx/gotdx-pcs-2023/tcb-info-issuer-chain.pem, Intel PCS 2023).
    sha256: 'ec37d98107bfb7dab6ff8de4d4dda6fde30a6f50b0d7b03eefb5652f1e652969',
    notBefore: '2018-05-21T10:50:10Z',
    notAfter: '2025-05-21T10:50:10Z',
    der: fromBase64(
      'MIICizCCAjKgAwIBAgIUfjiC1ftVKUpASY5FhAPpFJG99FUwCgYIKoZIzj0EAwIwaDEaMBgGA1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENvcnBvcmF0aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJBgNVBAYTAlVTMB4XDTE4MDUyMTEwNTAxMFoXDTI1MDUyMTEwNTAxMFowbDEeMBwGA1UEAwwVSW50ZWwgU0dYIFRDQiBTaWduaW5nMRowGAYDVQQKDBFJbnRlbCBDb3Jwb3JhdGlvbjEUMBIGA1UEBwwLU2FudGEgQ2xhcmExCzAJBgNVBAgMAkNBMQswCQYDVQQGEwJVUzBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABENFG8xzydWRfK92bmGvP+mAh91PEyV7Jh6FGJd5ndE9aBH7R3E4A7ubrlh/zN3C4xvpoouGlirMba+W2ljuypajgbUwgbIwHwYDVR0jBBgwFoAUImUM1lqdNInzg7SVUr9QGzknBqwwUgYDVR0fBEswSTBHoEWgQ4ZBaHR0cHM6Ly9jZXJ0aWZpY2F0ZXMudHJ1c3RlZHNlcnZpY2VzLmludGVsLmNvbS9JbnRlbFNHWFJvb3RDQS5kZXIwHQYDVR0OBBYEFH44gtX7VSlKQEmORYQD6RSRvfRVMA4GA1UdDwEB/wQEAwIGwDAMBgNVHRMBAf8EAjAAMAoGCCqGSM49BAMCA0cAMEQCIB9C8wOAN/ImxDtGACV246KcqjagZOR0kyctyBrsGGJVAiAjftbrNGsGU8YH211dRiYNoPPu19Zp/ze8JmhujB0oBw==',
    )!,
  },
  {
    // Serial 7e3882d5fb55294a40498e458403e91491bdf455 (re-issued, same key), 2025-05-06T09:25:00Z .. 2032-05-06T09:25:00Z
    // (from the tcb_info_issuer_chain of shared/vectors/sgx/dcapqvl-v3.collateral.json and tdx/pcs-fmspc-90c06f000000-2026-02-18).
    sha256: 'c0575e76d0303b61d09cde8cbdb70db34a74f38318300d7c0e6ba8cf4bf45aea',
    notBefore: '2025-05-06T09:25:00Z',
    notAfter: '2032-05-06T09:25:00Z',
    der: fromBase64(
      'MIICjTCCAjKgAwIBAgIUfjiC1ftVKUpASY5FhAPpFJG99FUwCgYIKoZIzj0EAwIwaDEaMBgGA1UEAwwRSW50ZWwgU0dYIFJvb3QgQ0ExGjAYBgNVBAoMEUludGVsIENvcnBvcmF0aW9uMRQwEgYDVQQHDAtTYW50YSBDbGFyYTELMAkGA1UECAwCQ0ExCzAJBgNVBAYTAlVTMB4XDTI1MDUwNjA5MjUwMFoXDTMyMDUwNjA5MjUwMFowbDEeMBwGA1UEAwwVSW50ZWwgU0dYIFRDQiBTaWduaW5nMRowGAYDVQQKDBFJbnRlbCBDb3Jwb3JhdGlvbjEUMBIGA1UEBwwLU2FudGEgQ2xhcmExCzAJBgNVBAgMAkNBMQswCQYDVQQGEwJVUzBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABENFG8xzydWRfK92bmGvP+mAh91PEyV7Jh6FGJd5ndE9aBH7R3E4A7ubrlh/zN3C4xvpoouGlirMba+W2ljuypajgbUwgbIwHwYDVR0jBBgwFoAUImUM1lqdNInzg7SVUr9QGzknBqwwUgYDVR0fBEswSTBHoEWgQ4ZBaHR0cHM6Ly9jZXJ0aWZpY2F0ZXMudHJ1c3RlZHNlcnZpY2VzLmludGVsLmNvbS9JbnRlbFNHWFJvb3RDQS5kZXIwHQYDVR0OBBYEFH44gtX7VSlKQEmORYQD6RSRvfRVMA4GA1UdDwEB/wQEAwIGwDAMBgNVHRMBAf8EAjAAMAoGCCqGSM49BAMCA0kAMEYCIQDdmmRuAo3qCO8TC1IoJMITAoOEw4dlgEBHzSz1TuMSTAIhAKVTqOkt59+co0O3m3hC+v5Fb00FjYWcgeu3EijOULo5',
    )!,
  },
];
