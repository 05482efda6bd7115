import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

/** One archive entry for the test builders: name (any bytes allowed via `rawName`) and content. */
export interface TestEntry {
  name: string
  data?: Buffer | string
  /** zip: store without compression. */
  stored?: boolean
  /** Symlink target (zip: a Unix-made entry with S_IFLNK in its external attributes). */
  link?: string
  /** zip: the "made by" host of a link entry (3 = Unix, 0 = MS-DOS). */
  system?: number
}

// The system interpreter when present: a version-manager shim adds ~0.4 s per call.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'

const PY = String.raw`
import base64, io, json, sys, tarfile, zipfile
spec = json.load(sys.stdin)
out = io.BytesIO()
if spec['kind'] == 'zip':
    with zipfile.ZipFile(out, 'w') as z:
        for e in spec['entries']:
            info = zipfile.ZipInfo(e['name'])
            info.compress_type = zipfile.ZIP_STORED if e.get('stored') else zipfile.ZIP_DEFLATED
            if e.get('link'):
                info.create_system = e.get('system', 3)
                info.external_attr = 0o120777 << 16
                z.writestr(info, e['link'])
            else:
                z.writestr(info, base64.b64decode(e['data']))
else:
    with tarfile.open(fileobj=out, mode='w', format=tarfile.USTAR_FORMAT) as t:
        for e in spec['entries']:
            info = tarfile.TarInfo(e['name'])
            if e.get('link'):
                info.type = tarfile.SYMTYPE
                info.linkname = e['link']
                t.addfile(info)
            else:
                data = base64.b64decode(e['data'])
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
sys.stdout.write(base64.b64encode(out.getvalue()).decode())
`

function build(kind: 'zip' | 'tar', entries: readonly TestEntry[]): Buffer {
  const spec = {
    kind,
    entries: entries.map((e) => ({
      name: e.name,
      data: Buffer.from(e.data ?? '').toString('base64'),
      stored: e.stored ?? false,
      link: e.link ?? null,
      system: e.system ?? 3,
    })),
  }
  const b64 = execFileSync(PYTHON, ['-c', PY], {
    input: JSON.stringify(spec),
    maxBuffer: 512 * 1024 * 1024,
  })
  return Buffer.from(b64.toString(), 'base64')
}

/** A real zip built by Python's zipfile (no name checks: hostile names are kept as given). */
export function makeZip(entries: readonly TestEntry[]): Buffer {
  return build('zip', entries)
}

/** A real ustar archive built by Python's tarfile. */
export function makeTar(entries: readonly TestEntry[]): Buffer {
  return build('tar', entries)
}

export function makeTgz(entries: readonly TestEntry[]): Buffer {
  return gzipSync(makeTar(entries))
}

/**
 * An Electron asar: 4-byte pickle holding the header pickle size, the header pickle (payload size,
 * string length, JSON, padding to 4), then the files' bytes in order.
 */
export function makeAsar(files: Record<string, Buffer | string>, unpacked: string[] = []): Buffer {
  const tree: { files: Record<string, unknown> } = { files: {} }
  const blobs: Buffer[] = []
  let offset = 0
  for (const [path, data] of Object.entries(files)) {
    const bytes = Buffer.from(data)
    const parts = path.split('/')
    let dir = tree
    for (const p of parts.slice(0, -1)) {
      dir.files[p] ??= { files: {} }
      dir = dir.files[p] as typeof tree
    }
    const name = parts[parts.length - 1]!
    if (unpacked.includes(path)) dir.files[name] = { size: bytes.length, unpacked: true }
    else {
      dir.files[name] = { size: bytes.length, offset: String(offset) }
      blobs.push(bytes)
      offset += bytes.length
    }
  }
  const json = Buffer.from(JSON.stringify(tree))
  const padded = Math.ceil(json.length / 4) * 4
  const headerPickle = Buffer.alloc(8 + padded)
  headerPickle.writeUInt32LE(4 + padded, 0)
  headerPickle.writeUInt32LE(json.length, 4)
  json.copy(headerPickle, 8)
  const sizePickle = Buffer.alloc(8)
  sizePickle.writeUInt32LE(4, 0)
  sizePickle.writeUInt32LE(headerPickle.length, 4)
  return Buffer.concat([sizePickle, headerPickle, ...blobs])
}
