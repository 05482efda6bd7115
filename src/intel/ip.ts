import { isIP } from 'node:net'

export interface Cidr {
  version: 4 | 6
  bits: bigint
  prefix: number
}

/** Canonical text of an address (IPv6 expanded, IPv4-mapped IPv6 reduced to IPv4). */
export function normalizeIp(ip: string): string {
  const v = isIP(ip)
  if (v === 4) return ip
  if (v !== 6) return ip.toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) return mapped[1]!
  return toBigInt(ip, 6).toString(16).padStart(32, '0')
}

function toBigInt(ip: string, version: 4 | 6): bigint {
  if (version === 4) {
    return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)
  }
  let text = ip
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const n = toBigInt(v4[1]!, 4)
    text = `${text.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n)
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr = '', prefixText] = text.split('/')
  const version = isIP(addr)
  if (version !== 4 && version !== 6) return undefined
  const max = version === 4 ? 32 : 128
  const prefix = prefixText === undefined ? max : Number(prefixText)
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined
  return { version, bits: toBigInt(addr, version), prefix }
}

/** `ip` as given by normalizeIp(). */
export function ipInCidr(ip: string, cidr: Cidr): boolean {
  const version = isIP(ip) === 4 ? 4 : /^[0-9a-f]{32}$/.test(ip) ? 6 : 0
  if (version !== cidr.version) return false
  const value = version === 4 ? toBigInt(ip, 4) : BigInt(`0x${ip}`)
  const width = BigInt(version === 4 ? 32 : 128)
  const shift = width - BigInt(cidr.prefix)
  return value >> shift === cidr.bits >> shift
}
