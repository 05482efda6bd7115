/** The parsed shape of a Mach-O file (thin or universal) and its embedded code signature. */

export interface Anomaly {
  /** Stable short code, e.g. `truncated`, `page-hash-mismatch`, `bad-load-command`. */
  code: string
  message: string
  /** File offset (from the start of the whole file) the anomaly is about. */
  offset?: number
}

export interface MachOFile {
  format: 'macho'
  /** `thin`: one image at offset 0; `fat32`/`fat64`: a universal binary. */
  container: 'thin' | 'fat32' | 'fat64'
  size: number
  /** Fat header entries (empty for thin files). */
  fatArches: FatArch[]
  slices: MachOSlice[]
  /** Universal files: bytes after the last slice. */
  overlay?: Overlay
  /** Whole-file anomalies plus every slice's, with file offsets. */
  anomalies: Anomaly[]
}

export interface FatArch {
  cpuType: number
  cpuSubtype: number
  arch: string
  offset: number
  size: number
  /** Power of two. */
  align: number
}

export interface MachODylib {
  path: string
  kind: 'load' | 'weak' | 'reexport' | 'lazy' | 'upward' | 'id'
  /** `a.b.c` as encoded (16.8.8 bits). */
  currentVersion: string
  compatibilityVersion: string
}

export interface MachOSection {
  name: string
  segment: string
  addr: number
  size: number
  /** File offset from the start of the whole file (0 for zero-fill sections). */
  offset: number
  type: number
  entropy: number
}

export interface MachOSegment {
  name: string
  vmaddr: number
  vmsize: number
  /** From the start of the whole file. */
  fileOffset: number
  fileSize: number
  maxProt: number
  initProt: number
  entropy: number
  sections: MachOSection[]
}

export interface LoadCommand {
  cmd: number
  name: string
  /** From the start of the whole file. */
  offset: number
  size: number
}

export interface BuildVersion {
  platform: string
  minOs: string
  sdk: string
  /** `LC_BUILD_VERSION` or the older `LC_VERSION_MIN_*` command it came from. */
  source: string
}

export interface MachOSlice {
  /** Offset of this image in the file (0 for thin files). */
  offset: number
  size: number
  arch: string
  cpuType: number
  cpuSubtype: number
  is64: boolean
  bigEndian: boolean
  fileType: string
  flags: number
  loadCommands: LoadCommand[]
  dylibs: MachODylib[]
  rpaths: string[]
  idDylib?: MachODylib
  dylinker?: string
  uuid?: string
  buildVersion?: BuildVersion
  /** LC_MAIN entry offset (relative to the slice). */
  entryOffset?: number
  encrypted?: boolean
  segments: MachOSegment[]
  codeSignature?: CodeSignature
  /** First byte after the image's segments, tables and signature, relative to the file. */
  imageEnd: number
  /** Bytes after `imageEnd` up to the end of the slice (thin: end of file). */
  overlay?: Overlay
  anomalies: Anomaly[]
}

export interface Overlay {
  offset: number
  size: number
  entropy: number
  /** First 16 bytes in hex. */
  head: string
}

export interface CodeSignature {
  /** From the start of the whole file. */
  offset: number
  size: number
  blobs: SignatureBlob[]
  /** The primary (slot 0) CodeDirectory first, then alternates. */
  codeDirectories: CodeDirectory[]
  requirements?: Requirements
  entitlements?: Entitlements
  derEntitlementsSize?: number
  cms?: CmsSignature
  /** `adhoc` when the primary CodeDirectory carries the ad-hoc flag and no CMS signer. */
  kind: 'adhoc' | 'signed' | 'malformed'
  /** Bytes between the end of the SuperBlob and the end of LC_CODE_SIGNATURE's range. */
  slack: number
}

export interface SignatureBlob {
  slot: number
  slotName: string
  offset: number
  magic: number
  length: number
}

export interface CodeDirectory {
  slot: number
  version: string
  flags: number
  flagNames: string[]
  adhoc: boolean
  runtime: boolean
  hashType: number
  hashName: string
  hashSize: number
  /** Bytes per page; 0 means the whole code is one page. */
  pageSize: number
  identifier: string
  teamId?: string
  codeLimit: number
  nSpecialSlots: number
  nCodeSlots: number
  platform: number
  execSegBase?: number
  execSegLimit?: number
  execSegFlags?: number
  runtimeVersion?: string
  /** Hash of the CodeDirectory blob with its own hash type, first 20 bytes, hex. */
  cdhash: string
  /** Non-empty special slots, by name (`info-plist`, `code-resources`, `entitlements`, …). */
  specialSlots: SpecialSlot[]
  pages: PageCheck
}

export interface SpecialSlot {
  index: number
  name: string
  hash: string
  /** Set when the parser could check it against bytes inside the signature itself. */
  verified?: boolean
}

export interface PageCheck {
  checked: number
  mismatched: PageMismatch[]
  /** Pages whose file range lies beyond the end of the data (file truncated). */
  missing: number
}

export interface PageMismatch {
  index: number
  /** From the start of the whole file. */
  offset: number
  size: number
  expected: string
  actual: string
}

export interface Requirements {
  size: number
  types: string[]
}

export interface Entitlements {
  size: number
  xml: string
  /** Top-level entitlement keys when the XML parsed as a dictionary. */
  keys: string[]
}

export interface CertificateInfo {
  subject: string
  issuer: string
  serial: string
  commonName?: string
  organization?: string
  organizationalUnit?: string
  notBefore?: string
  notAfter?: string
  sha256: string
}

export interface CmsSignature {
  size: number
  /** Certificates embedded in the CMS blob, leaf first when the signer is identified. */
  certificates: CertificateInfo[]
  signer?: CertificateInfo
  /** Team identifier: the signer certificate's OU. */
  teamId?: string
  signingTime?: string
  error?: string
}
