/*
 * Byte histogram for Shannon entropy (src/binary/entropy.ts), compiled to WebAssembly by
 * build.sh. Adds the byte counts of p[0..n) to four interleaved tables of 256 u32 at `counts`
 * (byte i % 4 counts into table i % 4), which breaks the store-to-load dependency between
 * neighbouring bytes of the same value. The caller sums the tables.
 */
typedef unsigned int u32;
typedef unsigned char u8;

__attribute__((export_name("count"))) void count(const u8 *p, u32 n, u32 *counts) {
  u32 i = 0;
  for (; i + 4 <= n; i += 4) {
    counts[p[i]]++;
    counts[256 + p[i + 1]]++;
    counts[512 + p[i + 2]]++;
    counts[768 + p[i + 3]]++;
  }
  for (; i < n; i++) counts[p[i]]++;
}
