import { createHash, randomBytes } from 'node:crypto'
import * as fs from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { IntelSourceInfo } from '../core/types.js'

/**
 * The local intel store (format documented in docs/intel.md):
 *
 *   <root>/CURRENT              name of the live version directory, replaced atomically
 *   <root>/v-<stamp>-<rand>/    one immutable store version
 *       manifest.json           StoreManifest
 *       sources/<slug>.ndjson   one Vigil NDJSON file per source (+ `.sig` for signed updates)
 *   <root>/keys/*.pem           trusted Ed25519 public keys for `vigil intel update`
 *
 * A change writes a whole new version directory, fsyncs it, then renames a new CURRENT over the
 * old one. The previous version is kept as the last known good; older ones are pruned.
 */
export const STORE_FORMAT_VERSION = 1

export interface StoreSource extends IntelSourceInfo {
  /** Path of the record file, relative to the version directory. */
  file: string
  sha256: string
  records: number
  /** Input format it came from (`osv`, `stix`, `vigil` for update bundles, …). */
  format: string
  importedAt: string
  /** Signed update: the key that signed it; the detached signature is `<file>.sig`. */
  signedBy?: string
  /** Where it came from (a path or URL). */
  origin?: string
}

export interface StoreManifest {
  formatVersion: number
  /** Name of this version directory. */
  version: string
  created: string
  /** The version this one replaced (kept as last known good). */
  previous?: string
  sources: StoreSource[]
}

/** `$VIGIL_INTEL_DIR`, else `$XDG_DATA_HOME/vigil`, `%LOCALAPPDATA%\vigil`, `~/.local/share/vigil`. */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIGIL_INTEL_DIR) return env.VIGIL_INTEL_DIR
  if (env.XDG_DATA_HOME) return join(env.XDG_DATA_HOME, 'vigil')
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'vigil')
  return join(homedir(), '.local', 'share', 'vigil')
}

/** The live version, or undefined for an empty store. Throws on a damaged manifest. */
export async function currentVersion(
  root: string,
): Promise<{ dir: string; manifest: StoreManifest } | undefined> {
  let name: string
  try {
    name = (await fs.readFile(join(root, 'CURRENT'), 'utf8')).trim()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  if (!/^v-[\w.-]+$/.test(name))
    throw new Error(`${join(root, 'CURRENT')}: bad version name '${name}'`)
  return readVersion(root, name)
}

export async function readVersion(
  root: string,
  name: string,
): Promise<{ dir: string; manifest: StoreManifest }> {
  const dir = join(root, name)
  const path = join(dir, 'manifest.json')
  const manifest = JSON.parse(await fs.readFile(path, 'utf8')) as StoreManifest
  if (typeof manifest.formatVersion !== 'number' || !Array.isArray(manifest.sources)) {
    throw new Error(`${path}: not a Vigil intel store manifest`)
  }
  if (manifest.formatVersion > STORE_FORMAT_VERSION) {
    throw new Error(`${path}: store format ${manifest.formatVersion} is newer than this Vigil`)
  }
  return { dir, manifest }
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** A source to write into the next version. */
export interface NewSource {
  info: IntelSourceInfo & { records: number }
  format: string
  /** Vigil NDJSON bytes (header + records). */
  data: Buffer
  signature?: { data: Buffer; keyId: string }
  origin?: string
}

/**
 * Writes a new store version: the kept sources of the live version (minus `remove` and minus any
 * source `add` replaces by name) plus `add`, then switches CURRENT to it. Crash-safe: until the
 * final rename the live version is untouched; a killed writer leaves only a stray directory that
 * the next change removes.
 */
export async function commitStore(
  root: string,
  change: { add?: NewSource[]; remove?: string[] },
): Promise<StoreManifest> {
  await fs.mkdir(root, { recursive: true })
  const release = await lock(root)
  try {
    const live = await currentVersion(root)
    const name = `v-${new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`
    const dir = join(root, name)
    await fs.mkdir(join(dir, 'sources'), { recursive: true })
    const replaced = new Set([
      ...(change.remove ?? []),
      ...(change.add ?? []).map((a) => a.info.source),
    ])
    const sources: StoreSource[] = []
    for (const s of live?.manifest.sources ?? []) {
      if (replaced.has(s.source)) continue
      await copyDurable(join(live!.dir, s.file), join(dir, s.file))
      if (s.signedBy)
        await copyDurable(join(live!.dir, `${s.file}.sig`), join(dir, `${s.file}.sig`))
      sources.push(s)
    }
    const used = new Set(sources.map((s) => s.file))
    for (const a of change.add ?? []) {
      const file = uniqueFile(a.info.source, used)
      await writeDurable(join(dir, file), a.data)
      if (a.signature) await writeDurable(join(dir, `${file}.sig`), a.signature.data)
      const entry: StoreSource = {
        ...a.info,
        file,
        sha256: sha256Hex(a.data),
        format: a.format,
        importedAt: new Date().toISOString(),
      }
      if (a.signature) entry.signedBy = a.signature.keyId
      if (a.origin) entry.origin = a.origin
      sources.push(entry)
    }
    sources.sort((x, y) => (x.source < y.source ? -1 : 1))
    const manifest: StoreManifest = {
      formatVersion: STORE_FORMAT_VERSION,
      version: name,
      created: new Date().toISOString(),
      ...(live ? { previous: live.manifest.version } : {}),
      sources,
    }
    await writeDurable(
      join(dir, 'manifest.json'),
      Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
    )
    await syncDir(join(dir, 'sources'))
    await syncDir(dir)
    await switchCurrent(root, name)
    await prune(root, new Set([name, live?.manifest.version ?? '']))
    return manifest
  } finally {
    await release()
  }
}

/** Points CURRENT back at the previous (last known good) version. */
export async function rollbackStore(root: string): Promise<StoreManifest> {
  const live = await currentVersion(root)
  if (!live?.manifest.previous) throw new Error('no previous store version to roll back to')
  const prev = await readVersion(root, live.manifest.previous)
  await switchCurrent(root, prev.manifest.version)
  return prev.manifest
}

async function switchCurrent(root: string, name: string): Promise<void> {
  const tmp = join(root, `CURRENT.${process.pid}.${randomBytes(3).toString('hex')}.tmp`)
  await writeDurable(tmp, Buffer.from(`${name}\n`))
  await fs.rename(tmp, join(root, 'CURRENT'))
  await syncDir(root)
}

function uniqueFile(source: string, used: Set<string>): string {
  const slug =
    source
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'source'
  let file = `sources/${slug}.ndjson`
  for (let i = 2; used.has(file); i++) file = `sources/${slug}-${i}.ndjson`
  used.add(file)
  return file
}

async function writeDurable(path: string, data: Buffer): Promise<void> {
  const fh = await fs.open(path, 'w')
  try {
    await fh.writeFile(data)
    await fh.sync()
  } finally {
    await fh.close()
  }
}

async function copyDurable(from: string, to: string): Promise<void> {
  await writeDurable(to, await fs.readFile(from))
}

async function syncDir(path: string): Promise<void> {
  if (process.platform === 'win32') return
  const fh = await fs.open(path, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}

/** Removes version directories other than `keep` and stray temporary files. */
async function prune(root: string, keep: Set<string>): Promise<void> {
  for (const name of await fs.readdir(root)) {
    const stray = (name.startsWith('v-') && !keep.has(name)) || /^CURRENT\..*\.tmp$/.test(name)
    if (stray) await fs.rm(join(root, name), { recursive: true, force: true })
  }
}

/** An exclusive lock file; a lock left by a dead process is taken over. */
async function lock(root: string): Promise<() => Promise<void>> {
  const path = join(root, 'lock')
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const fh = await fs.open(path, 'wx')
      await fh.writeFile(String(process.pid))
      await fh.close()
      return () => fs.rm(path, { force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const pid = Number(await fs.readFile(path, 'utf8').catch(() => ''))
      if (!pid || !alive(pid)) {
        await fs.rm(path, { force: true })
        continue
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`${path}: the intel store is locked by another vigil process`)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
