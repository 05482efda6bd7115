/**
 * A bounded parse cache: advisory matching compares one installed version against many range
 * events and the same event versions again and again, so each string is parsed once. Cleared
 * wholesale when full (no eviction bookkeeping on the hot path).
 */
export function memoParse<T>(parse: (v: string) => T, max = 100_000): (v: string) => T {
  const cache = new Map<string, T>()
  return (v) => {
    const hit = cache.get(v)
    if (hit !== undefined || cache.has(v)) return hit as T
    if (cache.size >= max) cache.clear()
    const value = parse(v)
    cache.set(v, value)
    return value
  }
}
