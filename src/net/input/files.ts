import { readdir, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

export interface LogFile {
  /** Path on disk. */
  fsPath: string
  /** Report path: the argument as given, plus the path inside it for directories, `/`-separated. */
  path: string
  size: number
}

const toSlash = (p: string): string => p.split(sep).join('/')

/** Expands files and directories (recursively, sorted) into log files. Missing paths throw. */
export async function listLogFiles(args: readonly string[]): Promise<LogFile[]> {
  const out: LogFile[] = []
  for (const arg of args) {
    const st = await stat(arg)
    if (st.isDirectory()) {
      const entries = await readdir(arg, { recursive: true, withFileTypes: true })
      const files = entries
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
        .sort()
      for (const f of files) {
        const size = (await stat(f)).size
        out.push({ fsPath: f, path: toSlash(join(arg, relative(arg, f))), size })
      }
    } else out.push({ fsPath: arg, path: toSlash(arg), size: st.size })
  }
  return out
}
