/**
 * What every log reader feeds: one call per normalised record, positional arguments so the hot
 * path allocates nothing. `file` is the index of the input file, `line` its 1-based line number.
 * Times are epoch seconds (fractional); NaN when the log masks or lacks them.
 */
export interface NetSink {
  /** A connection / flow. `bytes` are the originator's IP-level bytes (Zeek orig_ip_bytes). */
  conn(
    ts: number,
    src: string,
    dst: string,
    dport: number,
    proto: string,
    bytes: number,
    duration: number,
    uid: string,
    file: number,
    line: number,
  ): void
  /**
   * A DNS transaction: the query name and its answers (names or addresses). `isQuery` is false for
   * answer-only events (Suricata logs requests and responses apart), which add answers but are not
   * counted as another query.
   */
  dns(
    ts: number,
    src: string,
    dst: string,
    query: string,
    answers: string[],
    isQuery: boolean,
    file: number,
    line: number,
  ): void
  /**
   * An HTTP request. `host` is the Host header or CONNECT target (without port); `uri` the
   * request target. `proxied` when it went through a proxy (CONNECT, absolute-form URI, Squid).
   * `bytes` NaN when the log does not give them (a connection log may supply them by uid).
   */
  http(
    ts: number,
    src: string,
    dst: string,
    dport: number,
    method: string,
    host: string,
    uri: string,
    proxied: boolean,
    bytes: number,
    uid: string,
    file: number,
    line: number,
  ): void
  /** A TLS handshake: SNI and, when the log has them, the server certificate's subject and issuer. */
  tls(
    ts: number,
    src: string,
    dst: string,
    dport: number,
    sni: string,
    subject: string,
    issuer: string,
    uid: string,
    file: number,
    line: number,
  ): void
  /** A certificate (x509.log): subject and DNS SANs. */
  cert(ts: number, subject: string, sans: string[], file: number, line: number): void
  /** An IDS alert (Suricata). `severity` 1 (high) … 3 (low). */
  alert(
    ts: number,
    src: string,
    dst: string,
    dport: number,
    signature: string,
    sid: number,
    severity: number,
    category: string,
    file: number,
    line: number,
  ): void
  /**
   * Optional conn.log hot path: the same as conn() with source, destination, port and uid given
   * as byte ranges of `buf` (uid range empty when unset), so no strings are made per record, and
   * ts, bytes, duration in `nums[0..2]` (a reused array: no number is boxed per call).
   */
  connRaw?(
    buf: Buffer,
    srcS: number,
    srcE: number,
    dstS: number,
    dstE: number,
    portS: number,
    portE: number,
    uidS: number,
    uidE: number,
    nums: Float64Array,
    file: number,
    line: number,
  ): void
  /** Optional: a file has been read to its end. */
  endFile?(file: number): void
  /** A line that could not be parsed; counted and reported, never fatal. */
  malformed(file: number, line: number, message: string): void
}
