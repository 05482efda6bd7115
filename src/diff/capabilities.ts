/**
 * Curated capability groups over imported functions and libraries. A release-to-release change
 * that adds a group (a media library that starts to use the network, say) is what a reviewer
 * wants to see first.
 */

export const CAPABILITIES = [
  'networking',
  'process-injection',
  'crypto',
  'dynamic-loading',
  'persistence',
] as const
export type Capability = (typeof CAPABILITIES)[number]

/** Library names (lowercase, without extension) whose import alone means the capability. */
const LIBRARIES: Record<string, Capability> = {
  ws2_32: 'networking',
  wsock32: 'networking',
  wininet: 'networking',
  winhttp: 'networking',
  urlmon: 'networking',
  dnsapi: 'networking',
  iphlpapi: 'networking',
  mswsock: 'networking',
  libcurl: 'networking',
  cfnetwork: 'networking',
  network: 'networking',
  libssh2: 'networking',
  bcrypt: 'crypto',
  ncrypt: 'crypto',
  crypt32: 'crypto',
  libcrypto: 'crypto',
  taskschd: 'persistence',
}

/** Function names (exact, case-insensitive; A/W suffixes folded) and their capability. */
const FUNCTIONS: Record<string, Capability> = {}
function group(cap: Capability, names: string): void {
  for (const n of names.split(/\s+/).filter(Boolean)) FUNCTIONS[n.toLowerCase()] = cap
}
group(
  'networking',
  'socket connect send recv sendto recvfrom getaddrinfo gethostbyname WSAStartup WSASocket ' +
    'InternetOpen InternetOpenUrl InternetConnect InternetReadFile HttpOpenRequest HttpSendRequest ' +
    'WinHttpOpen WinHttpConnect WinHttpOpenRequest WinHttpSendRequest WinHttpReadData ' +
    'URLDownloadToFile URLOpenBlockingStream DnsQuery_ curl_easy_perform',
)
group(
  'process-injection',
  'VirtualAllocEx WriteProcessMemory CreateRemoteThread CreateRemoteThreadEx NtCreateThreadEx ' +
    'QueueUserAPC NtQueueApcThread SetThreadContext NtUnmapViewOfSection ZwUnmapViewOfSection ' +
    'NtWriteVirtualMemory RtlCreateUserThread OpenProcess VirtualProtectEx ptrace ' +
    'task_for_pid mach_vm_write thread_create_running',
)
group(
  'crypto',
  'CryptDecrypt CryptEncrypt CryptAcquireContext CryptImportKey BCryptDecrypt BCryptEncrypt ' +
    'BCryptOpenAlgorithmProvider SystemFunction032 SystemFunction033 EVP_DecryptInit_ex ' +
    'EVP_EncryptInit_ex CCCrypt',
)
group(
  'dynamic-loading',
  'LoadLibrary LoadLibraryEx LdrLoadDll GetProcAddress LdrGetProcedureAddress dlopen dlsym ' +
    'NSCreateObjectFileImageFromMemory NSLinkModule',
)
group(
  'persistence',
  'RegSetValueEx RegCreateKeyEx CreateService ChangeServiceConfig SHSetValue ' +
    'SMJobSubmit SMLoginItemSetEnabled LSSharedFileListInsertItemURL',
)

/** Capability groups by which the imports of a binary are explained (library → functions). */
export function capabilitiesOf(
  imports: Record<string, readonly string[]>,
): Map<Capability, string[]> {
  const out = new Map<Capability, string[]>()
  const note = (cap: Capability, why: string) => {
    const list = out.get(cap)
    if (list) list.push(why)
    else out.set(cap, [why])
  }
  for (const [lib, fns] of Object.entries(imports)) {
    const base = libraryBase(lib)
    const libCap = LIBRARIES[base]
    if (libCap) note(libCap, lib)
    for (const fn of fns) {
      const cap = capabilityOfFunction(fn)
      if (cap) note(cap, `${lib}!${fn}`)
    }
  }
  return out
}

/** `C:/x/WinHTTP.dll` → `winhttp`, `/usr/lib/libcurl.4.dylib` → `libcurl`, `libcurl.so.4` → `libcurl`. */
export function libraryBase(lib: string): string {
  const name = lib.toLowerCase().split(/[/\\]/).pop() ?? ''
  return name.replace(/(\.(dll|so|dylib|tbd|\d+))+$/, '').replace(/\.framework$/, '')
}

export function capabilityOfFunction(name: string): Capability | undefined {
  const lower = name.toLowerCase().replace(/^_+/, '')
  return (
    FUNCTIONS[lower] ??
    FUNCTIONS[lower.replace(/(a|w|exa|exw)$/, (m) => (m.startsWith('ex') ? 'ex' : ''))]
  )
}
