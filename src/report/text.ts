/** Small text helpers for terminal output: safe, measured, shortened. */

/** Control characters (C0, DEL, C1) as visible `\xNN`, so a hostile file name cannot drive the terminal. */
export function printable(s: string): string {
  return s.replace(
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  )
}

/** Length in code points (what a terminal shows for most scripts). */
export function width(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

function slice(s: string, start: number, end?: number): string {
  return [...s].slice(start, end).join('')
}

/** Cuts the end, marking it with `…`. */
export function truncateEnd(s: string, max: number): string {
  if (width(s) <= max) return s
  if (max <= 1) return slice('…', 0, max)
  return `${slice(s, 0, max - 1)}…`
}

/** Cuts the middle, keeping more of the end (a file name outweighs its directories). */
export function shortenMiddle(s: string, max: number): string {
  const n = width(s)
  if (n <= max) return s
  if (max <= 1) return slice('…', 0, max)
  const keep = max - 1
  const head = Math.floor(keep * 0.4)
  return `${slice(s, 0, head)}…${slice(s, n - (keep - head))}`
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)} min ${s % 60} s`
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}
