import { describe, expect, it } from 'vitest'
import { productIdentity, slug, vendorSlug } from './identity.js'
import { parsePurl, purlOf } from './purl.js'

describe('vendor/product identity', () => {
  it('slugs and company suffixes', () => {
    expect(productIdentity('3CX Ltd', '3CX Desktop App')).toEqual({
      vendor: '3cx',
      product: '3cx-desktop-app',
    })
    expect(vendorSlug('Piriform Ltd.')).toBe('piriform')
    expect(vendorSlug('SolarWinds Worldwide, LLC')).toBe('solarwinds-worldwide')
    expect(vendorSlug('ASUSTeK Computer Inc.')).toBe('asustek-computer')
    expect(vendorSlug('Microsoft Corporation')).toBe('microsoft')
    expect(vendorSlug('Foo Co., Ltd.')).toBe('foo')
    expect(vendorSlug('Co')).toBe('co')
    expect(slug('  Orion Platform (2020.2.1) ')).toBe('orion-platform-2020-2-1')
    expect(slug('Microsoft® Windows® Operating System')).toBe('microsoft-windows-operating-system')
  })

  it('without a company the product is the vendor', () => {
    expect(productIdentity(undefined, 'CCleaner')).toEqual({
      vendor: 'ccleaner',
      product: 'ccleaner',
    })
  })
})

describe('purls', () => {
  it('are built by packageurl-js, with a generic fallback', () => {
    expect(
      purlOf({ type: 'generic', namespace: '3cx', name: '3cx-desktop-app', version: '18.12.416' }),
    ).toBe('pkg:generic/3cx/3cx-desktop-app@18.12.416')
    expect(purlOf({ type: 'npm', namespace: '@types', name: 'node', version: '20.1.0' })).toBe(
      'pkg:npm/%40types/node@20.1.0',
    )
    expect(purlOf({ type: 'maven', name: 'no-group', version: '1.0' })).toBe(
      'pkg:generic/no-group@1.0',
    )
    expect(
      purlOf({
        type: 'deb',
        namespace: 'debian',
        name: 'x',
        version: '1',
        qualifiers: { arch: 'amd64', upstream: undefined },
      }),
    ).toBe('pkg:deb/debian/x@1?arch=amd64')
    expect(parsePurl('not a purl')).toBeUndefined()
  })
})
