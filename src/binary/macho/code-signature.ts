import { createHash } from 'node:crypto'
import { type ByteReader, hex } from '../byte-reader.js'
import { parsePlist } from '../plist/parse.js'
import { parseCms } from './cms.js'
import {
  CS_ADHOC,
  CS_FLAGS,
  CS_HASHTYPE,
  CS_RUNTIME,
  CSMAGIC,
  CSSLOT,
  REQUIREMENT_TYPE_NAMES,
  SPECIAL_SLOT_NAMES,
} from './constants.js'
import type {
  CodeDirectory,
  CodeSignature,
  Entitlements,
  PageCheck,
  Requirements,
} from './types.js'

type Add = (code: string, message: string, offset?: number) => void

const MAX_BLOBS = 64
/** Page mismatches listed one by one; the rest are counted. */
export const MAX_LISTED_MISMATCHES = 64

/**
 * Parses the embedded signature SuperBlob of one image and verifies every code page hash of every
 * CodeDirectory against the image bytes. `r` reads the image; offsets in `add` are image-relative;
 * offsets in the result are file offsets (`base` added).
 */
export function parseCodeSignature(
  r: ByteReader,
  base: number,
  dataoff: number,
  datasize: number,
  add: Add,
): CodeSignature {
  const sig: CodeSignature = {
    offset: base + dataoff,
    size: datasize,
    blobs: [],
    codeDirectories: [],
    kind: 'malformed',
    slack: 0,
  }
  const available = Math.max(0, Math.min(datasize, r.length - dataoff))
  if (dataoff > r.length || available < datasize) {
    add('truncated', `code signature [${dataoff}, +${datasize}) runs past the image`, dataoff)
  }
  if (available < 12) return sig
  const sb = r.bytes.subarray(dataoff, dataoff + available)
  const view = new DataView(sb.buffer, sb.byteOffset, sb.byteLength)
  const magic = view.getUint32(0)
  if (magic !== CSMAGIC.EMBEDDED_SIGNATURE) {
    add('bad-signature-magic', `SuperBlob magic 0x${magic.toString(16)}`, dataoff)
    return sig
  }
  const length = Math.min(view.getUint32(4), sb.length)
  sig.slack = available - length
  const count = view.getUint32(8)
  if (count > MAX_BLOBS || 12 + count * 8 > length) {
    add('bad-signature-index', `SuperBlob declares ${count} blobs`, dataoff + 8)
  }
  const n = Math.min(count, MAX_BLOBS, Math.floor((length - 12) / 8))
  for (let i = 0; i < n; i++) {
    const slot = view.getUint32(12 + i * 8)
    const off = view.getUint32(16 + i * 8)
    if (off + 8 > length) {
      add(
        'bad-signature-index',
        `blob ${i} (slot 0x${slot.toString(16)}) at ${off} is outside`,
        dataoff,
      )
      continue
    }
    const blobMagic = view.getUint32(off)
    const blobLen = view.getUint32(off + 4)
    if (blobLen < 8 || off + blobLen > length) {
      add(
        'bad-blob-length',
        `blob in slot 0x${slot.toString(16)} has length ${blobLen}`,
        dataoff + off,
      )
      continue
    }
    const blob = sb.subarray(off, off + blobLen)
    sig.blobs.push({
      slot,
      slotName: slotName(slot),
      offset: base + dataoff + off,
      magic: blobMagic,
      length: blobLen,
    })
    readBlob(sig, slot, blobMagic, blob, r, base, dataoff + off, add)
  }
  checkSpecialSlots(sig, sb, add, dataoff)
  const primary = sig.codeDirectories[0]
  if (primary && primary.slot === CSSLOT.CODEDIRECTORY) {
    sig.kind = primary.adhoc && !sig.cms?.signer ? 'adhoc' : 'signed'
  } else {
    add('no-code-directory', 'signature has no primary CodeDirectory', dataoff)
  }
  return sig
}

function slotName(slot: number): string {
  if (slot === CSSLOT.CODEDIRECTORY) return 'code-directory'
  if (slot >= CSSLOT.ALTERNATE_CODEDIRECTORIES && slot < CSSLOT.ALTERNATE_CODEDIRECTORY_LIMIT) {
    return `alternate-code-directory-${slot - CSSLOT.ALTERNATE_CODEDIRECTORIES}`
  }
  if (slot === CSSLOT.SIGNATURESLOT) return 'cms-signature'
  return SPECIAL_SLOT_NAMES[slot] ?? `slot-0x${slot.toString(16)}`
}

function readBlob(
  sig: CodeSignature,
  slot: number,
  magic: number,
  blob: Uint8Array,
  r: ByteReader,
  base: number,
  at: number,
  add: Add,
): void {
  const isCd =
    slot === CSSLOT.CODEDIRECTORY ||
    (slot >= CSSLOT.ALTERNATE_CODEDIRECTORIES && slot < CSSLOT.ALTERNATE_CODEDIRECTORY_LIMIT)
  if (isCd) {
    if (magic !== CSMAGIC.CODEDIRECTORY) {
      add('bad-blob-magic', `CodeDirectory slot holds magic 0x${magic.toString(16)}`, at)
      return
    }
    const cd = parseCodeDirectory(blob, slot, r, base, at, add)
    if (!cd) return
    if (slot === CSSLOT.CODEDIRECTORY) sig.codeDirectories.unshift(cd)
    else sig.codeDirectories.push(cd)
    return
  }
  if (slot === CSSLOT.REQUIREMENTS && magic === CSMAGIC.REQUIREMENTS) {
    sig.requirements = parseRequirements(blob)
  } else if (slot === CSSLOT.ENTITLEMENTS && magic === CSMAGIC.EMBEDDED_ENTITLEMENTS) {
    sig.entitlements = parseEntitlements(blob)
  } else if (slot === CSSLOT.DER_ENTITLEMENTS && magic === CSMAGIC.EMBEDDED_DER_ENTITLEMENTS) {
    sig.derEntitlementsSize = blob.length - 8
  } else if (slot === CSSLOT.SIGNATURESLOT && magic === CSMAGIC.BLOBWRAPPER) {
    if (blob.length > 8) sig.cms = parseCms(blob.subarray(8))
  } else {
    add('unexpected-blob', `slot 0x${slot.toString(16)} holds magic 0x${magic.toString(16)}`, at)
  }
}

function parseCodeDirectory(
  b: Uint8Array,
  slot: number,
  r: ByteReader,
  base: number,
  at: number,
  add: Add,
): CodeDirectory | undefined {
  if (b.length < 44) {
    add('truncated', 'CodeDirectory shorter than its fixed header', at)
    return undefined
  }
  const { cd, hashOffset, scatter } = readCodeDirectory(b, slot)
  const type = CS_HASHTYPE[cd.hashType]
  if (!type || cd.hashSize === 0 || cd.hashSize > 64) {
    add('bad-hash-type', `CodeDirectory hash type ${cd.hashType} size ${cd.hashSize}`, at)
    return cd
  }
  const { nSpecialSlots, nCodeSlots, hashSize, codeLimit } = cd
  const slotsFit =
    hashOffset >= nSpecialSlots * hashSize && hashOffset + nCodeSlots * hashSize <= b.length
  if (!slotsFit || nSpecialSlots > 64) {
    add('bad-hash-slots', 'CodeDirectory hash slots lie outside the blob', at)
    return cd
  }
  for (let i = 1; i <= nSpecialSlots; i++) {
    const h = b.subarray(hashOffset - i * hashSize, hashOffset - (i - 1) * hashSize)
    if (h.every((x) => x === 0)) continue
    cd.specialSlots.push({ index: i, name: SPECIAL_SLOT_NAMES[i] ?? `slot-${i}`, hash: hex(h) })
  }
  if (scatter) {
    add('scatter-unsupported', 'CodeDirectory uses a scatter vector; pages not checked', at)
    return cd
  }
  if (cd.pageSize !== 0 && (cd.pageSize < 2 ** 9 || cd.pageSize > 2 ** 24)) {
    add('bad-page-size', `CodeDirectory page size ${cd.pageSize}`, at)
    return cd
  }
  const expectedSlots = cd.pageSize === 0 ? 1 : Math.ceil(codeLimit / cd.pageSize)
  if (nCodeSlots !== expectedSlots) {
    add(
      'code-slot-count',
      `CodeDirectory has ${nCodeSlots} code slots; a code limit of ${codeLimit} needs ${expectedSlots}`,
      at,
    )
  }
  cd.pages = checkPages(b, hashOffset, cd, type.algorithm, r, base, add)
  return cd
}

/** Decodes the CodeDirectory header fields (by version) without checking anything. */
function readCodeDirectory(
  b: Uint8Array,
  slot: number,
): { cd: CodeDirectory; hashOffset: number; scatter: boolean } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const u32 = (o: number) => (o + 4 <= b.length ? v.getUint32(o) : 0)
  const u64 = (o: number) =>
    o + 8 <= b.length ? Math.min(Number(v.getBigUint64(o)), Number.MAX_SAFE_INTEGER) : 0
  const version = u32(8)
  const flags = u32(12)
  const hashType = b[37]!
  const pageLog = b[39]!
  const type = CS_HASHTYPE[hashType]
  const codeLimit64 = version >= 0x20300 ? u64(56) : 0
  const cd: CodeDirectory = {
    slot,
    version: `0x${version.toString(16)}`,
    flags,
    flagNames: flagNames(flags),
    adhoc: (flags & CS_ADHOC) !== 0,
    runtime: (flags & CS_RUNTIME) !== 0,
    hashType,
    hashName: type?.name ?? `type-${hashType}`,
    hashSize: b[36]!,
    pageSize: pageLog === 0 ? 0 : 2 ** pageLog,
    identifier: stringAt(b, u32(20)),
    codeLimit: codeLimit64 > 0 ? codeLimit64 : u32(32),
    nSpecialSlots: u32(24),
    nCodeSlots: u32(28),
    platform: b[38]!,
    cdhash: type ? digest(type.algorithm, b).subarray(0, 20).toString('hex') : '',
    specialSlots: [],
    pages: { checked: 0, mismatched: [], missing: 0 },
  }
  const teamOffset = version >= 0x20200 ? u32(48) : 0
  if (teamOffset) cd.teamId = stringAt(b, teamOffset)
  if (version >= 0x20400) {
    cd.execSegBase = u64(64)
    cd.execSegLimit = u64(72)
    cd.execSegFlags = u64(80)
  }
  if (version >= 0x20500 && u32(88)) cd.runtimeVersion = nibbleVersion(u32(88))
  return { cd, hashOffset: u32(16), scatter: version >= 0x20100 && u32(44) !== 0 }
}

/** Hashes every page of [0, codeLimit) of the image and compares it with its code slot. */
function checkPages(
  b: Uint8Array,
  hashOffset: number,
  cd: CodeDirectory,
  algorithm: string,
  r: ByteReader,
  base: number,
  add: Add,
): PageCheck {
  const out: PageCheck = { checked: 0, mismatched: [], missing: 0 }
  const page = cd.pageSize === 0 ? cd.codeLimit : cd.pageSize
  let mismatches = 0
  for (let i = 0; i < cd.nCodeSlots; i++) {
    const start = i * page
    const end = Math.min(start + page, cd.codeLimit)
    if (start >= cd.codeLimit && cd.codeLimit > 0) break
    if (end > r.length) {
      out.missing++
      continue
    }
    const expected = b.subarray(hashOffset + i * cd.hashSize, hashOffset + (i + 1) * cd.hashSize)
    const actual = digest(algorithm, r.bytes.subarray(start, end)).subarray(0, cd.hashSize)
    out.checked++
    if (Buffer.compare(expected, actual) === 0) continue
    mismatches++
    if (out.mismatched.length < MAX_LISTED_MISMATCHES) {
      out.mismatched.push({
        index: i,
        offset: base + start,
        size: end - start,
        expected: hex(expected),
        actual: hex(actual),
      })
    }
  }
  if (out.missing > 0) {
    add('code-pages-missing', `${out.missing} signed pages lie past the end of the image`, r.length)
  }
  if (mismatches > 0) {
    const first = out.mismatched[0]!
    add(
      'page-hash-mismatch',
      `${mismatches} of ${out.checked} ${cd.hashName} page hashes do not match (first: page ${first.index} at offset ${first.offset})`,
      first.offset - base,
    )
  }
  return out
}

/** Special slots whose content is inside the signature itself (requirements, entitlements). */
function checkSpecialSlots(sig: CodeSignature, sb: Uint8Array, add: Add, dataoff: number): void {
  const bySlot = new Map<number, Uint8Array>()
  for (const b of sig.blobs) {
    const start = b.offset - sig.offset
    bySlot.set(b.slot, sb.subarray(start, start + b.length))
  }
  for (const cd of sig.codeDirectories) {
    const type = CS_HASHTYPE[cd.hashType]
    if (!type) continue
    for (const s of cd.specialSlots) {
      const content = bySlot.get(s.index)
      if (!content) continue
      s.verified =
        digest(type.algorithm, content).subarray(0, cd.hashSize).toString('hex') === s.hash
      if (!s.verified) {
        add('special-slot-mismatch', `${s.name} hash in the CodeDirectory does not match`, dataoff)
      }
    }
  }
}

/**
 * Does `content` (an Info.plist or CodeResources file from the bundle) match the hash the
 * CodeDirectory holds for that special slot? `undefined` when the CodeDirectory has no such slot.
 */
export function specialSlotMatches(
  cd: CodeDirectory,
  name: 'info-plist' | 'code-resources',
  content: Uint8Array,
): boolean | undefined {
  const slot = cd.specialSlots.find((s) => s.name === name)
  const type = CS_HASHTYPE[cd.hashType]
  if (!slot || !type) return undefined
  return digest(type.algorithm, content).subarray(0, cd.hashSize).toString('hex') === slot.hash
}

function parseRequirements(b: Uint8Array): Requirements {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const count = b.length >= 12 ? v.getUint32(8) : 0
  const types: string[] = []
  for (let i = 0; i < Math.min(count, 16) && 16 + i * 8 <= b.length; i++) {
    const t = v.getUint32(12 + i * 8)
    types.push(REQUIREMENT_TYPE_NAMES[t] ?? `type-${t}`)
  }
  return { size: b.length, types }
}

function parseEntitlements(b: Uint8Array): Entitlements {
  const xml = Buffer.from(b.subarray(8)).toString('utf8')
  const parsed = parsePlist(b.subarray(8))
  const value = parsed.value
  const keys =
    value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)
      ? Object.keys(value).sort()
      : []
  return { size: b.length, xml, keys }
}

function flagNames(flags: number): string[] {
  const names: string[] = []
  for (const [bit, name] of Object.entries(CS_FLAGS)) if (flags & Number(bit)) names.push(name)
  return names
}

function stringAt(b: Uint8Array, offset: number): string {
  if (offset <= 0 || offset >= b.length) return ''
  let end = offset
  while (end < b.length && end - offset < 1024 && b[end] !== 0) end++
  return Buffer.from(b.subarray(offset, end)).toString('utf8')
}

function nibbleVersion(v: number): string {
  return `${v >>> 16}.${(v >>> 8) & 0xff}.${v & 0xff}`
}

export function digest(algorithm: string, data: Uint8Array): Buffer {
  return createHash(algorithm).update(data).digest()
}
