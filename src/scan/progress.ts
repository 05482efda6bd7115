/** Where a scan is, for a progress display. Totals appear once the walk has counted them. */
export interface ScanProgress {
  files: number
  bytes: number
  totalFiles?: number
  totalBytes?: number
  elapsedMs: number
  currentPath: string
}

const MiB = 1024 * 1024

/** One status line: files, bytes, rate, ETA (when the total is known) and the current path. */
export function progressLine(p: ScanProgress, width = 100): string {
  const secs = p.elapsedMs / 1000
  const rate = secs > 0 ? p.bytes / MiB / secs : 0
  const files = p.totalFiles !== undefined ? `${p.files}/${p.totalFiles}` : `${p.files}`
  const mib = p.totalBytes !== undefined ? `${mb(p.bytes)}/${mb(p.totalBytes)}` : mb(p.bytes)
  let line = `${files} files, ${mib} MiB, ${rate.toFixed(0)} MiB/s`
  if (p.totalBytes !== undefined && rate > 0 && p.totalBytes >= p.bytes) {
    line += `, ETA ${duration((p.totalBytes - p.bytes) / MiB / rate)}`
  }
  const room = width - line.length - 3
  if (room > 8) {
    const path =
      p.currentPath.length > room ? `…${p.currentPath.slice(-(room - 1))}` : p.currentPath
    line += `  ${path}`
  }
  return line
}

function mb(n: number): string {
  return (n / MiB).toFixed(0)
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?'
  const m = Math.floor(s / 60)
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.ceil(s)}s`
}

/**
 * A progress callback drawing on a TTY stream at most every `intervalMs`; undefined when the
 * stream is not a TTY (progress never goes to a pipe or file, and the scan then skips the counting
 * walk that feeds the ETA). Call `done()` to clear the line.
 */
export function ttyProgress(
  stream: NodeJS.WriteStream = process.stderr,
  intervalMs = 150,
): { onProgress: (p: ScanProgress) => void; done: () => void } | undefined {
  if (!stream.isTTY) return undefined
  let last = 0
  let drawn = false
  return {
    onProgress(p) {
      const now = Date.now()
      if (now - last < intervalMs) return
      last = now
      drawn = true
      stream.write(`\r\x1b[2K${progressLine(p, stream.columns || 100)}`)
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K')
    },
  }
}
