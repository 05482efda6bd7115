/** A plugin in a registry list: its name, and how to load a fresh instance of it. */
export interface Registered<T extends { name: string }> {
  /** Equal to the loaded plugin's `name` (a test checks). */
  readonly name: string
  load(): Promise<T>
}

/** Fresh instances of the registered plugins, or of only those named in `only`, in list order. */
export function loadRegistered<T extends { name: string }>(
  list: readonly Registered<T>[],
  only?: readonly string[],
): Promise<T[]> {
  const keep = only ? new Set(only) : undefined
  return Promise.all(list.filter((p) => !keep || keep.has(p.name)).map((p) => p.load()))
}
