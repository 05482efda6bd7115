/** A malformed or suspicious structure found while parsing; the parse went on. */
export interface Anomaly {
  /** Stable kebab-case code, e.g. `truncated-section`, `import-loop`. */
  code: string
  message: string
  offset?: number
}

/** A byte range of the file with its Shannon entropy and first bytes, for evidence. */
export interface ByteRegion {
  offset: number
  size: number
  entropy: number
  /** First 16 bytes in hex. */
  head: string
}

export interface PeSection {
  name: string
  virtualAddress: number
  virtualSize: number
  rawOffset: number
  rawSize: number
  characteristics: number
  /** Entropy of the raw data that is present in the file. */
  entropy: number
}

export interface PeDataDirectory {
  index: number
  name: string
  rva: number
  size: number
}

export interface PeImportedFunction {
  /** Absent when imported by ordinal only. */
  name?: string
  ordinal?: number
  hint?: number
}

export interface PeImport {
  /** The DLL name as written in the file. */
  dll: string
  delayLoad: boolean
  functions: PeImportedFunction[]
}

export interface PeExportedFunction {
  ordinal: number
  name?: string
  rva: number
  /** `OTHERDLL.Function` when the export forwards elsewhere. */
  forwarder?: string
}

export interface PeExports {
  dllName: string
  timeDateStamp: number
  ordinalBase: number
  functions: PeExportedFunction[]
}

export interface PeResource {
  /** Numeric type id (16 = RT_VERSION, 3 = RT_ICON …) or the type's name. */
  type: number | string
  name: number | string
  lang: number
  offset: number
  size: number
}

export interface PeFixedVersion {
  fileVersion: string
  productVersion: string
  fileFlags: number
  fileOS: number
  fileType: number
}

export interface PeVersionInfo {
  /** StringFileInfo values of the first string table: CompanyName, ProductName, FileVersion … */
  strings: Record<string, string>
  /** The string table's key, e.g. `040904b0` (language + code page). */
  lang?: string
  fixed?: PeFixedVersion
}

/** One WIN_CERTIFICATE entry of the certificate table (data directory 4). */
export interface PeCertificateEntry {
  offset: number
  /** dwLength: the whole entry including its 8-byte header. */
  length: number
  revision: number
  /** 2 = WIN_CERT_TYPE_PKCS_SIGNED_DATA. */
  type: number
  /** Length of the DER-encoded PKCS#7 blob at offset + 8 (header + content); absent if unreadable. */
  derLength?: number
  /** Bytes of the entry after the DER blob (offset + 8 + derLength … offset + length). */
  trailing?: ByteRegion
  /** Trailing bytes beyond rounding the entry up to 8 bytes: 0 for a normal signature. */
  beyondAlignment: number
}

export interface PeCertificateTable {
  offset: number
  size: number
  entries: PeCertificateEntry[]
  /** Bytes of the table after the last entry (aligned): another place to hide data. */
  slack?: ByteRegion
}

export interface PeDebugEntry {
  type: number
  typeName: string
  size: number
  rawOffset: number
  timeDateStamp: number
  /** CodeView (RSDS / NB10) PDB path and identity. */
  pdbPath?: string
  pdbGuid?: string
  pdbAge?: number
}

export interface PeClr {
  runtimeVersion?: string
  flags: number
  /** Metadata version string from the BSJB root, e.g. `v4.0.30319`. */
  metadataVersion?: string
}

export interface PeHeaderOffsets {
  pe: number
  optionalHeader: number
  checksum: number
  /** Offset of data directory 4 (certificate table) within the optional header, if present. */
  certificateDirectory?: number
  sectionTable: number
}

export interface PeFile {
  format: 'pe32' | 'pe32+' | 'unknown'
  machine: number
  /** `x86` | `x64` | `arm64` | `arm` | `ia64` | `machine-0x…`. */
  arch: string
  characteristics: number
  isDll: boolean
  timeDateStamp: number
  subsystem: number
  dllCharacteristics: number
  imageBase: number
  entryPoint: number
  sizeOfImage: number
  sizeOfHeaders: number
  checksum: number
  fileAlignment: number
  sectionAlignment: number
  linkerVersion: string
  offsets: PeHeaderOffsets
  dataDirectories: PeDataDirectory[]
  sections: PeSection[]
  imports: PeImport[]
  /** pefile / VirusTotal imphash over the regular (not delay-load) imports; absent with no imports. */
  imphash?: string
  exports?: PeExports
  resources: PeResource[]
  versionInfo?: PeVersionInfo
  /** Bytes after the last section, not counting the certificate table. */
  overlay?: ByteRegion
  certificateTable?: PeCertificateTable
  debug: PeDebugEntry[]
  clr?: PeClr
  fileSize: number
  anomalies: Anomaly[]
}
