import { describe, expect, it } from 'vitest'
import { embeddedStrings } from './embedded-strings.js'

describe('embeddedStrings', () => {
  it('finds URLs, domains and IPs in ASCII and UTF-16LE text', () => {
    const ascii = Buffer.from(
      '\0\0GET https://raw.githubusercontent.com/IconStorages/images/main/icon1.ico\0',
    )
    const wide = Buffer.from('c2 at pbxsources.com or 203.0.113.7\0', 'utf16le')
    const s = embeddedStrings(Buffer.concat([ascii, Buffer.alloc(8), wide]))
    expect(s.urls).toEqual(['https://raw.githubusercontent.com/IconStorages/images/main/icon1.ico'])
    expect(s.domains).toEqual(['pbxsources.com', 'raw.githubusercontent.com'])
    expect(s.ips).toEqual(['203.0.113.7'])
  })

  it('ignores file names and version quads that look like domains or addresses', () => {
    const s = embeddedStrings(
      Buffer.from('kernel32.dll ffmpeg.dll version 1.0.0.0 and 18.12.416.0 a.out'),
    )
    expect(s).toEqual({ urls: [], domains: [], ips: [] })
  })
})
