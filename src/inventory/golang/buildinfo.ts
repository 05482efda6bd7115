/**
 * Go build information (`runtime/debug.BuildInfo`) embedded by the Go linker: a 32-byte header
 * starting `\xff Go buildinf:` (pointer size at +14, flags at +15), then
 * - Go ≥ 1.18 (flags bit 1 set): the Go version and the module info as two varint-length
 *   prefixed strings right after the header;
 * - older Go: two pointers at +16 to Go string headers `{data, len}` in the data segment, which
 *   need the binary's address map (`VaToOffset`) to follow.
 * The module info is framed by 16-byte sentinels and holds `path`, `mod`, `dep`, `=>` and
 * `build` lines. Pure; never throws on input bytes.
 */

import type { VaToOffset } from '../binary-layout.js'

export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1')
/** The Go linker aligns the header to 16 bytes from the start of its section. */
export const BUILDINFO_ALIGN = 16
/** How far into the section (or data segment) Go's own reader looks: its first 64 KiB. */
export const BUILDINFO_WINDOW = 64 << 10
const FLAG_BIG_ENDIAN = 0x1
const FLAG_INLINE = 0x2
const MAX_STRING = 16 << 20

export interface GoModule {
  path: string
  version: string
  sum?: string
  /** The `=>` replacement of this module, if any. */
  replace?: GoModule
}

export interface GoBuildInfo {
  /** File offset of the header. */
  offset: number
  goVersion: string
  /** `inline` (Go ≥ 1.18) or `pointer` (older). */
  format: 'inline' | 'pointer'
  path?: string
  main?: GoModule
  deps: GoModule[]
  settings: Record<string, string>
  anomalies: string[]
}

function uvarint(b: Buffer, pos: number): [number, number] | undefined {
  let x = 0
  let shift = 0
  for (let i = 0; i < 5 && pos + i < b.length; i++) {
    const c = b[pos + i]!
    x += (c & 0x7f) * 2 ** shift
    if (c < 0x80) return [x, pos + i + 1]
    shift += 7
  }
  return undefined
}

function inlineStrings(b: Buffer, start: number): [string, string] | undefined {
  const v = uvarint(b, start)
  if (!v || v[0] > MAX_STRING || v[1] + v[0] > b.length) return undefined
  const version = b.toString('utf8', v[1], v[1] + v[0])
  const m = uvarint(b, v[1] + v[0])
  if (!m || m[0] > MAX_STRING || m[1] + m[0] > b.length) return undefined
  return [version, b.toString('utf8', m[1], m[1] + m[0])]
}

function readPtr(b: Buffer, off: number, size: number, big: boolean): bigint | undefined {
  if (off < 0 || off + size > b.length) return undefined
  if (size === 8) return big ? b.readBigUInt64BE(off) : b.readBigUInt64LE(off)
  return BigInt(big ? b.readUInt32BE(off) : b.readUInt32LE(off))
}

/** Reads a Go string header `{data *byte, len int}` at virtual address `va`. */
function goString(
  b: Buffer,
  va: bigint,
  size: number,
  big: boolean,
  map: VaToOffset,
): string | undefined {
  const hdr = map(va)
  if (hdr === undefined) return undefined
  const data = readPtr(b, hdr, size, big)
  const len = readPtr(b, hdr + size, size, big)
  if (data === undefined || len === undefined || len > BigInt(MAX_STRING)) return undefined
  const at = map(data)
  if (at === undefined || at + Number(len) > b.length) return undefined
  return b.toString('utf8', at, at + Number(len))
}

function pointerStrings(
  b: Buffer,
  off: number,
  size: number,
  big: boolean,
  map?: VaToOffset,
): [string, string] | undefined {
  if (!map) return undefined
  const vPtr = readPtr(b, off + 16, size, big)
  const mPtr = readPtr(b, off + 16 + size, size, big)
  if (vPtr === undefined || mPtr === undefined) return undefined
  const version = goString(b, vPtr, size, big, map)
  const mod = goString(b, mPtr, size, big, map)
  return version === undefined || mod === undefined ? undefined : [version, mod]
}

/** Strips the 16-byte sentinels around the module info (present since Go 1.13). */
function unframe(mod: string): string {
  if (mod.length >= 33 && mod[mod.length - 17] === '\n') return mod.slice(16, -16)
  return mod
}

function parseModLine(fields: string[]): GoModule | undefined {
  const [path, version, sum] = fields
  if (!path) return undefined
  const m: GoModule = { path, version: version ?? '' }
  if (sum) m.sum = sum
  return m
}

export function parseModInfo(info: GoBuildInfo, text: string): void {
  let last: GoModule | undefined
  for (const line of unframe(text).split('\n')) {
    const [kind, ...rest] = line.split('\t')
    if (kind === 'path') info.path = rest[0]
    else if (kind === 'mod') last = info.main = parseModLine(rest)
    else if (kind === 'dep') {
      last = parseModLine(rest)
      if (last) info.deps.push(last)
    } else if (kind === '=>') {
      const r = parseModLine(rest)
      if (last && r) last.replace = r
      else info.anomalies.push('replacement line without a module before it')
    } else if (kind === 'build') {
      const kv = rest.join('\t')
      const eq = kv.indexOf('=')
      if (eq > 0) info.settings[kv.slice(0, eq)] = kv.slice(eq + 1)
    }
  }
}

/** Decodes the header at `off`; undefined if it is not a plausible build info header. */
function decodeAt(b: Buffer, off: number, map?: VaToOffset): GoBuildInfo | 'needs-map' | undefined {
  if (off + 32 > b.length) return undefined
  const size = b[off + 14]!
  const flags = b[off + 15]!
  if ((size !== 4 && size !== 8) || (flags & ~3) !== 0) return undefined
  const inline = (flags & FLAG_INLINE) !== 0
  const strings = inline
    ? inlineStrings(b, off + 32)
    : pointerStrings(b, off, size, (flags & FLAG_BIG_ENDIAN) !== 0, map)
  if (!strings) return inline || map ? undefined : 'needs-map'
  const [goVersion, mod] = strings
  if (!/^(go\d|devel)/.test(goVersion)) return undefined
  const info: GoBuildInfo = {
    offset: off,
    goVersion,
    format: inline ? 'inline' : 'pointer',
    deps: [],
    settings: {},
    anomalies: [],
  }
  parseModInfo(info, mod)
  return info
}

export type BuildInfoResult =
  | { kind: 'found'; info: GoBuildInfo }
  | { kind: 'none' }
  /** A pointer-format header was found but no address map was given to follow it. */
  | { kind: 'needs-map'; offset: number }

/**
 * Finds the build info in a binary: the first occurrence of the magic that decodes (the magic
 * also appears as a plain string inside Go tools that read build info, which does not decode).
 */
export function findGoBuildInfo(b: Buffer, map?: VaToOffset, maxHits = 64): BuildInfoResult {
  let needsMap: number | undefined
  let from = 0
  for (let hits = 0; hits < maxHits; hits++) {
    const off = b.indexOf(BUILDINFO_MAGIC, from)
    if (off < 0) break
    const r = decodeAt(b, off, map)
    if (r === 'needs-map') needsMap ??= off
    else if (r) return { kind: 'found', info: r }
    from = off + 1
  }
  return needsMap === undefined ? { kind: 'none' } : { kind: 'needs-map', offset: needsMap }
}

/**
 * Finds the build info where the Go linker puts it and `go version -m` looks: a header at a
 * 16-byte-aligned distance from `start` (the `.go.buildinfo` / `__go_buildinfo` section, or else
 * the start of the first writable data), within BUILDINFO_WINDOW bytes. Reads at most that
 * window (plus the strings a header points to), however large the file.
 */
export function findGoBuildInfoIn(
  b: Buffer,
  start: number,
  map?: VaToOffset,
  maxHits = 64,
): BuildInfoResult {
  if (start < 0 || start >= b.length) return { kind: 'none' }
  const window = b.subarray(start, Math.min(b.length, start + BUILDINFO_WINDOW))
  let needsMap: number | undefined
  let from = 0
  for (let hits = 0; hits < maxHits; hits++) {
    const at = window.indexOf(BUILDINFO_MAGIC, from)
    if (at < 0) break
    if (at % BUILDINFO_ALIGN === 0) {
      const r = decodeAt(b, start + at, map)
      if (r === 'needs-map') needsMap ??= start + at
      else if (r) return { kind: 'found', info: r }
    }
    from = (Math.floor(at / BUILDINFO_ALIGN) + 1) * BUILDINFO_ALIGN
  }
  return needsMap === undefined ? { kind: 'none' } : { kind: 'needs-map', offset: needsMap }
}
