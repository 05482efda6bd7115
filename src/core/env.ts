/**
 * Environment setting naming the trust store: a directory of PEM (or DER) root certificates that
 * Authenticode chains must end in. Unset: no roots, so good signatures are `valid-untrusted-root`.
 * Here rather than beside the Authenticode code so that reading settings loads no PKI library.
 */
export const TRUST_STORE_ENV = 'VIGIL_TRUST_STORE'
