import { describe, expect, it } from 'vitest'
import { isGroupAddress } from './beacons.js'

describe('beacon candidates', () => {
  it('leaves out multicast and broadcast destinations', () => {
    expect(isGroupAddress('ff02::2:134')).toBe(true)
    expect(isGroupAddress('239.255.255.250:1900')).toBe(true)
    expect(isGroupAddress('255.255.255.255:67')).toBe(true)
    expect(isGroupAddress('66.63.168.35:5888')).toBe(false)
    expect(isGroupAddress('2001:db8::1:443')).toBe(false)
  })
})
