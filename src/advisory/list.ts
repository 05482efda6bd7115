/** The value when it is an array, else an empty one: record fields are untrusted input. */
export function list<T>(v: readonly T[] | undefined | unknown): readonly T[] {
  return Array.isArray(v) ? (v as T[]) : []
}
