/** Test helpers for the PE fixtures built by scripts/fixtures/pe/build.sh (tests only). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PE_FIXTURES = fileURLToPath(
  new URL('../../../scripts/fixtures/pe/out', import.meta.url),
)
export const PE_TRUST_DIR = fileURLToPath(
  new URL('../../../scripts/fixtures/pe/trust', import.meta.url),
)
export const PE_GOLDEN = fileURLToPath(
  new URL('../../../scripts/fixtures/pe/golden', import.meta.url),
)

/** Every fixture file, as `/`-separated paths relative to the fixture folder. */
export function peFixtureNames(): string[] {
  return listFiles(PE_FIXTURES).map((f) => relative(PE_FIXTURES, f).split(sep).join('/'))
}

export function readPeFixture(name: string): Buffer {
  return readFileSync(join(PE_FIXTURES, name))
}

export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...listFiles(p))
    else if (e.isFile()) out.push(p)
  }
  return out
}

/**
 * Windows PE files shipped on this machine by others (mingw-w64 runtime DLLs under /usr, npm
 * packages' prebuilt binaries), MZ…PE checked, npm prebuilds first, cut at `max`.
 */
export function realPeFiles(max = 48, roots = defaultRoots()): string[] {
  const found: string[] = []
  const visit = (d: string, depth: number) => {
    if (depth > 12 || found.length >= 2000) return
    let entries: import('node:fs').Dirent[]
    try {
      entries = readdirSync(d, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      const p = join(d, e.name)
      if (e.isDirectory()) visit(p, depth + 1)
      else if (e.isFile() && /\.(exe|dll|node|efi|sys|bare)$/i.test(e.name) && isPe(p))
        found.push(p)
    }
  }
  for (const r of roots) visit(r, 0)
  // npm prebuilds (MSVC-built, x64 and arm64) first, then the mingw-w64 runtime DLLs.
  const rank = (p: string) => (p.includes('node_modules') ? 0 : 1)
  return found.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1)).slice(0, max)
}

function defaultRoots(): string[] {
  const repo = fileURLToPath(new URL('../../../', import.meta.url))
  return [
    '/usr/lib/gcc/x86_64-w64-mingw32',
    '/usr/lib/gcc/i686-w64-mingw32',
    '/usr/x86_64-w64-mingw32',
    '/usr/i686-w64-mingw32',
    '/usr/lib/google-cloud-sdk/platform/bundledpythonunix/lib',
    '/usr/share/win32',
    '/usr/share/win64',
    '/usr/lib/x86_64-linux-gnu/wine',
    join(repo, 'node_modules'),
  ].filter(existsSync)
}

function isPe(p: string): boolean {
  try {
    if (statSync(p).size < 512) return false
    const b = readFileSync(p).subarray(0, 4096)
    if (b.readUInt16LE(0) !== 0x5a4d) return false
    const e = b.readUInt32LE(0x3c)
    return e + 4 <= b.length && b.readUInt32LE(e) === 0x4550
  } catch {
    return false
  }
}
