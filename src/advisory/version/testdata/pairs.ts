import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Reads a committed `a<TAB>b<TAB>expected` file written by make-vectors.mjs. */
export function readPairs(name: string): [string, string, number][] {
  const text = readFileSync(join(import.meta.dirname, name), 'utf8')
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [a, b, r] = l.split('\t')
      return [a!, b!, Number(r)]
    })
}

/** Every pair whose sign differs from the expectation, for a readable failure. */
export function disagreements(
  pairs: [string, string, number][],
  cmp: (a: string, b: string) => number,
): string[] {
  const out: string[] = []
  for (const [a, b, want] of pairs) {
    const got = Math.sign(cmp(a, b))
    if (got !== want) out.push(`${a} vs ${b}: want ${want}, got ${got}`)
  }
  return out
}
