/**
 * Windows Installer (MSI) packages: the Property table of the database inside the compound
 * file (parseCfb). Stream names are MSI-encoded (two base-64 characters per UTF-16 unit in
 * U+3800–U+47FF, one in U+4800–U+483F, U+4840 marking a table); strings live in `_StringPool`
 * (lengths; the first entry holds the code page and the long-reference flag) and `_StringData`;
 * the `Property` table stores its two string columns column by column as 2- or 3-byte string
 * ids. The cataloger reads ProductName, ProductVersion and Manufacturer, so an installer such as
 * `3CXDesktopApp-18.12.416.msi` is the vendor product it installs.
 */
import type { Artifact } from '../../core/artifact.js'
import type { ArtifactContext, Cataloger } from '../../core/plugin.js'
import type { Component } from '../../core/types.js'
import { guarded, mergeByPurl } from '../common.js'
import { companyFromNotice, productIdentity } from '../identity.js'
import { purlOf } from '../purl.js'
import { isCfb, parseCfb } from './cfb.js'
import { cleanVersion } from './version-string.js'

const NAME = 'windows-msi'
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._'

/** Decodes an MSI stream name; tables come out as `!Name`. */
export function decodeStreamName(name: string): string {
  let out = ''
  for (const ch of name) {
    const c = ch.codePointAt(0)!
    if (c >= 0x3800 && c < 0x4800) {
      const v = c - 0x3800
      out += ALPHABET[v & 0x3f]! + ALPHABET[(v >> 6) & 0x3f]!
    } else if (c >= 0x4800 && c < 0x4840) out += ALPHABET[c - 0x4800]!
    else if (c === 0x4840) out += '!'
    else out += ch
  }
  return out
}

/** The string table: index 0 is the empty string. */
export function decodeStringPool(
  pool: Buffer,
  data: Buffer,
): { strings: string[]; longRefs: boolean } {
  if (pool.length < 4) return { strings: [''], longRefs: false }
  const codepage = pool.readUInt16LE(0) | ((pool.readUInt16LE(2) & 0x7fff) << 16)
  const longRefs = (pool.readUInt16LE(2) & 0x8000) !== 0
  const encoding: BufferEncoding = codepage === 65001 ? 'utf8' : 'latin1'
  const strings = ['']
  const count = Math.floor(pool.length / 4)
  let offset = 0
  for (let i = 1; i < count; ) {
    const len16 = pool.readUInt16LE(i * 4)
    const refs = pool.readUInt16LE(i * 4 + 2)
    let len = len16
    if (len16 === 0 && refs === 0) {
      strings.push('')
      i++
      continue
    }
    if (len16 === 0) {
      // Over 64 KiB: the high word is in this entry's refs, the low word in the next entry.
      if ((i + 1) * 4 + 2 > pool.length) break
      len = refs * 0x10000 + pool.readUInt16LE((i + 1) * 4)
      i += 2
    } else i++
    if (offset + len > data.length) break
    strings.push(data.toString(encoding, offset, offset + len))
    offset += len
  }
  return { strings, longRefs }
}

/** Property → Value of an MSI database (empty when the tables are missing or malformed). */
export function msiProperties(bytes: Uint8Array): {
  properties: Map<string, string>
  anomalies: string[]
} {
  const cfb = parseCfb(bytes)
  const streams = new Map(
    cfb.entries.filter((e) => e.type === 2).map((e) => [decodeStreamName(e.name), e]),
  )
  const get = (n: string) => {
    const e = streams.get(n)
    return e ? cfb.read(e) : undefined
  }
  const properties = new Map<string, string>()
  const pool = get('!_StringPool')
  const data = get('!_StringData')
  const table = get('!Property')
  if (!pool || !data || !table) {
    cfb.anomalies.push('no readable _StringPool, _StringData and Property streams')
    return { properties, anomalies: cfb.anomalies }
  }
  const { strings, longRefs } = decodeStringPool(pool, data)
  const width = longRefs ? 3 : 2
  const rows = Math.floor(table.length / (2 * width))
  const id = (at: number) => (width === 3 ? table.readUIntLE(at, 3) : table.readUInt16LE(at))
  for (let r = 0; r < rows; r++) {
    const key = strings[id(r * width)]
    const value = strings[id(rows * width + r * width)]
    if (key) properties.set(key, value ?? '')
  }
  return { properties, anomalies: cfb.anomalies }
}

export function msiComponent(bytes: Uint8Array, location: string): Component[] {
  const { properties: p } = msiProperties(bytes)
  const productName = p.get('ProductName')
  const version = cleanVersion(p.get('ProductVersion'))
  if (!productName || !version) return []
  const manufacturer = p.get('Manufacturer')
  const { vendor, product } = productIdentity(companyFromNotice(manufacturer), productName)
  const meta: Record<string, unknown> = { platform: 'windows', installer: 'msi' }
  if (manufacturer) meta.manufacturer = manufacturer
  for (const k of ['ProductVersion', 'ProductCode', 'UpgradeCode'])
    if (p.get(k)) meta[k.charAt(0).toLowerCase() + k.slice(1)] = p.get(k)
  return [
    {
      name: productName,
      version,
      ecosystem: 'windows-app',
      purl: purlOf({ type: 'generic', namespace: vendor, name: product, version }),
      locations: [location],
      foundBy: NAME,
      vendor,
      product,
      metadata: meta,
    },
  ]
}

export const windowsMsiCataloger: Cataloger = {
  name: NAME,
  version: 1,
  wants: (a: Artifact) => /\.msi$/i.test(a.name),
  catalog: (a: Artifact, ctx: ArtifactContext) =>
    guarded(NAME, a, ctx, async () => {
      const bytes = await a.bytes()
      return isCfb(bytes) ? msiComponent(bytes, a.path) : []
    }),
  finish: async (components) => mergeByPurl(components),
}
