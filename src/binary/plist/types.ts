/** A property-list value. Dictionaries have no prototype, so hostile keys stay plain data. */
export type PlistValue =
  | string
  | number
  | boolean
  | Date
  | Uint8Array
  | PlistValue[]
  | PlistDict
  | null

export interface PlistDict {
  [key: string]: PlistValue
}

export interface PlistAnomaly {
  code: string
  message: string
  offset?: number
}

export interface PlistResult {
  format: 'xml' | 'binary' | 'unknown'
  /** The root object; `undefined` when nothing could be read. */
  value?: PlistValue
  anomalies: PlistAnomaly[]
}

/** Bounds on hostile input. */
export const PLIST_LIMITS = {
  maxDepth: 64,
  /** Objects decoded in total (binary plists can share references: a DAG can explode). */
  maxObjects: 200_000,
}

export function isDict(v: PlistValue | undefined): v is PlistDict {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Uint8Array) &&
    !(v instanceof Date)
  )
}

export function newDict(): PlistDict {
  return Object.create(null) as PlistDict
}
