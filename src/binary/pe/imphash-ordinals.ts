/**
 * Ordinal → export name tables that imphash resolves before hashing (the tables pefile freezes for
 * imphash and YARA's pe module uses), stored as runs of consecutive ordinals.
 */

type Runs = readonly (readonly [first: number, names: string])[]

const WS2_32: Runs = [
  [
    1,
    'accept bind closesocket connect getpeername getsockname getsockopt htonl htons ioctlsocket ' +
      'inet_addr inet_ntoa listen ntohl ntohs recv recvfrom select send sendto setsockopt shutdown ' +
      'socket GetAddrInfoW GetNameInfoW WSApSetPostRoutine FreeAddrInfoW ' +
      'WPUCompleteOverlappedRequest WSAAccept WSAAddressToStringA WSAAddressToStringW ' +
      'WSACloseEvent WSAConnect WSACreateEvent WSADuplicateSocketA WSADuplicateSocketW ' +
      'WSAEnumNameSpaceProvidersA WSAEnumNameSpaceProvidersW WSAEnumNetworkEvents ' +
      'WSAEnumProtocolsA WSAEnumProtocolsW WSAEventSelect WSAGetOverlappedResult WSAGetQOSByName ' +
      'WSAGetServiceClassInfoA WSAGetServiceClassInfoW WSAGetServiceClassNameByClassIdA ' +
      'WSAGetServiceClassNameByClassIdW WSAHtonl WSAHtons gethostbyaddr gethostbyname ' +
      'getprotobyname getprotobynumber getservbyname getservbyport gethostname ' +
      'WSAInstallServiceClassA WSAInstallServiceClassW WSAIoctl WSAJoinLeaf ' +
      'WSALookupServiceBeginA WSALookupServiceBeginW WSALookupServiceEnd WSALookupServiceNextA ' +
      'WSALookupServiceNextW WSANSPIoctl WSANtohl WSANtohs WSAProviderConfigChange WSARecv ' +
      'WSARecvDisconnect WSARecvFrom WSARemoveServiceClass WSAResetEvent WSASend ' +
      'WSASendDisconnect WSASendTo WSASetEvent WSASetServiceA WSASetServiceW WSASocketA ' +
      'WSASocketW WSAStringToAddressA WSAStringToAddressW WSAWaitForMultipleEvents ' +
      'WSCDeinstallProvider WSCEnableNSProvider WSCEnumProtocols WSCGetProviderPath ' +
      'WSCInstallNameSpace WSCInstallProvider WSCUnInstallNameSpace WSCUpdateProvider ' +
      'WSCWriteNameSpaceOrder WSCWriteProviderOrder freeaddrinfo getaddrinfo getnameinfo',
  ],
  [
    101,
    'WSAAsyncSelect WSAAsyncGetHostByAddr WSAAsyncGetHostByName WSAAsyncGetProtoByNumber ' +
      'WSAAsyncGetProtoByName WSAAsyncGetServByPort WSAAsyncGetServByName WSACancelAsyncRequest ' +
      'WSASetBlockingHook WSAUnhookBlockingHook WSAGetLastError WSASetLastError ' +
      'WSACancelBlockingCall WSAIsBlocking WSAStartup WSACleanup',
  ],
  [151, '__WSAFDIsSet'],
  [500, 'WEP'],
]

const VAR_TYPES_1 = 'UI1 I2 I4 R4 R8 Date Cy Str Disp Bool'

/** VarXFromY families in the order oleaut32 numbers them. */
function varFamily(to: string, from: string): string {
  return from
    .split(' ')
    .filter((f) => f !== to)
    .map((f) => `Var${to}From${f}`)
    .join(' ')
}

const OLEAUT32: Runs = [
  [
    2,
    'SysAllocString SysReAllocString SysAllocStringLen SysReAllocStringLen SysFreeString ' +
      'SysStringLen VariantInit VariantClear VariantCopy VariantCopyInd VariantChangeType ' +
      'VariantTimeToDosDateTime DosDateTimeToVariantTime SafeArrayCreate SafeArrayDestroy ' +
      'SafeArrayGetDim SafeArrayGetElemsize SafeArrayGetUBound SafeArrayGetLBound SafeArrayLock ' +
      'SafeArrayUnlock SafeArrayAccessData SafeArrayUnaccessData SafeArrayGetElement ' +
      'SafeArrayPutElement SafeArrayCopy DispGetParam DispGetIDsOfNames DispInvoke ' +
      'CreateDispTypeInfo CreateStdDispatch RegisterActiveObject RevokeActiveObject ' +
      'GetActiveObject SafeArrayAllocDescriptor SafeArrayAllocData SafeArrayDestroyDescriptor ' +
      'SafeArrayDestroyData SafeArrayRedim SafeArrayAllocDescriptorEx SafeArrayCreateEx ' +
      'SafeArrayCreateVectorEx SafeArraySetRecordInfo SafeArrayGetRecordInfo ' +
      'VarParseNumFromStr VarNumFromParseNum',
  ],
  [48, `${varFamily('I2', 'UI1 I4 R4 R8 Cy Date Str Disp Bool')} SafeArraySetIID`],
  [58, `${varFamily('I4', 'UI1 I2 R4 R8 Cy Date Str Disp Bool')} SafeArrayGetIID`],
  [68, `${varFamily('R4', 'UI1 I2 I4 R8 Cy Date Str Disp Bool')} SafeArrayGetVartype`],
  [78, `${varFamily('R8', 'UI1 I2 I4 R4 Cy Date Str Disp Bool')} VarFormat`],
  [88, `${varFamily('Date', 'UI1 I2 I4 R4 R8 Cy Str Disp Bool')} VarFormatDateTime`],
  [98, `${varFamily('Cy', 'UI1 I2 I4 R4 R8 Date Str Disp Bool')} VarFormatNumber`],
  [108, `${varFamily('Bstr', 'UI1 I2 I4 R4 R8 Cy Date Disp Bool')} VarFormatPercent`],
  [
    118,
    `${varFamily('Bool', 'UI1 I2 I4 R4 R8 Date Cy Str Disp')} VarFormatCurrency VarWeekdayName VarMonthName`,
  ],
  [
    130,
    `${varFamily('UI1', 'I2 I4 R4 R8 Cy Date Str Disp Bool')} VarFormatFromTokens ` +
      'VarTokenizeFormatString VarAdd VarAnd VarDiv DllCanUnloadNow DllGetClassObject ' +
      'DispCallFunc VariantChangeTypeEx SafeArrayPtrOfIndex SysStringByteLen ' +
      'SysAllocStringByteLen DllRegisterServer VarEqv VarIdiv VarImp VarMod VarMul VarOr VarPow ' +
      'VarSub CreateTypeLib LoadTypeLib LoadRegTypeLib RegisterTypeLib QueryPathOfRegTypeLib ' +
      'LHashValOfNameSys LHashValOfNameSysA VarXor VarAbs VarFix OaBuildVersion ClearCustData ' +
      'VarInt VarNeg VarNot VarRound VarCmp VarDecAdd VarDecDiv VarDecMul CreateTypeLib2 ' +
      'VarDecSub VarDecAbs LoadTypeLibEx SystemTimeToVariantTime VariantTimeToSystemTime ' +
      'UnRegisterTypeLib VarDecFix VarDecInt VarDecNeg',
  ],
  [
    190,
    `${varFamily('Dec', 'UI1 I2 I4 R4 R8 Date Cy Str Disp Bool')} GetErrorInfo SetErrorInfo ` +
      'CreateErrorInfo VarDecRound VarDecCmp',
  ],
  [205, varFamily('I2', 'I1 UI2 UI4 Dec')],
  [209, varFamily('I4', 'I1 UI2 UI4 Dec')],
  [213, varFamily('R4', 'I1 UI2 UI4 Dec')],
  [217, varFamily('R8', 'I1 UI2 UI4 Dec')],
  [221, varFamily('Date', 'I1 UI2 UI4 Dec')],
  [225, varFamily('Cy', 'I1 UI2 UI4 Dec')],
  [229, varFamily('Bstr', 'I1 UI2 UI4 Dec')],
  [233, varFamily('Bool', 'I1 UI2 UI4 Dec')],
  [237, varFamily('UI1', 'I1 UI2 UI4 Dec')],
  [241, varFamily('Dec', 'I1 UI2 UI4')],
  [244, varFamily('I1', `${VAR_TYPES_1} UI2 UI4 Dec`)],
  [257, varFamily('UI2', `${VAR_TYPES_1} I1 UI4 Dec`)],
  [270, varFamily('UI4', `${VAR_TYPES_1} I1 UI2 Dec`)],
  [
    283,
    'BSTR_UserSize BSTR_UserMarshal BSTR_UserUnmarshal BSTR_UserFree VARIANT_UserSize ' +
      'VARIANT_UserMarshal VARIANT_UserUnmarshal VARIANT_UserFree LPSAFEARRAY_UserSize ' +
      'LPSAFEARRAY_UserMarshal LPSAFEARRAY_UserUnmarshal LPSAFEARRAY_UserFree LPSAFEARRAY_Size ' +
      'LPSAFEARRAY_Marshal LPSAFEARRAY_Unmarshal VarDecCmpR8 VarCyAdd DllUnregisterServer ' +
      'OACreateTypeLib2',
  ],
  [
    303,
    'VarCyMul VarCyMulI4 VarCySub VarCyAbs VarCyFix VarCyInt VarCyNeg VarCyRound VarCyCmp ' +
      'VarCyCmpR8 VarBstrCat VarBstrCmp VarR8Pow VarR4CmpR8 VarR8Round VarCat VarDateFromUdateEx',
  ],
  [322, 'GetRecordInfoFromGuids GetRecordInfoFromTypeInfo'],
  [325, 'SetVarConversionLocaleSetting GetVarConversionLocaleSetting SetOaNoCache'],
  [329, 'VarCyMulI8 VarDateFromUdate VarUdateFromDate GetAltMonthNames'],
  [333, `${varFamily('I8', 'UI1 I2 R4 R8 Cy Date Str Disp Bool I1 UI2 UI4 Dec')}`],
  [346, 'VarI2FromI8 VarI2FromUI8 VarI4FromI8 VarI4FromUI8'],
  [
    360,
    'VarR4FromI8 VarR4FromUI8 VarR8FromI8 VarR8FromUI8 VarDateFromI8 VarDateFromUI8 VarCyFromI8 ' +
      'VarCyFromUI8 VarBstrFromI8 VarBstrFromUI8 VarBoolFromI8 VarBoolFromUI8 VarUI1FromI8 ' +
      'VarUI1FromUI8 VarDecFromI8 VarDecFromUI8 VarI1FromI8 VarI1FromUI8 VarUI2FromI8 ' +
      'VarUI2FromUI8',
  ],
  [401, 'OleLoadPictureEx OleLoadPictureFileEx'],
  [
    411,
    'SafeArrayCreateVector SafeArrayCopyData VectorFromBstr BstrFromVector OleIconToCursor ' +
      'OleCreatePropertyFrameIndirect OleCreatePropertyFrame OleLoadPicture ' +
      'OleCreatePictureIndirect OleCreateFontIndirect OleTranslateColor OleLoadPictureFile ' +
      'OleSavePictureFile OleLoadPicturePath VarUI4FromI8 VarUI4FromUI8 VarI8FromUI8 ' +
      'VarUI8FromI8',
  ],
  [429, varFamily('UI8', 'UI1 I2 R4 R8 Cy Date Str Disp Bool I1 UI2 UI4 Dec')],
  [442, 'RegisterTypeLibForUser UnRegisterTypeLibForUser'],
]

function expand(runs: Runs): Map<number, string> {
  const m = new Map<number, string>()
  for (const [first, names] of runs) {
    for (const [i, n] of names.split(' ').entries()) m.set(first + i, n)
  }
  return m
}

const TABLES: Record<string, Map<number, string>> = {
  'ws2_32.dll': expand(WS2_32),
  'wsock32.dll': expand(WS2_32),
  'oleaut32.dll': expand(OLEAUT32),
}

/** The name imphash uses for an ordinal import: the known export name or `ordN`. */
export function imphashOrdinalName(dll: string, ordinal: number): string {
  return TABLES[dll.toLowerCase()]?.get(ordinal) ?? `ord${ordinal}`
}

/** For tests: the full table of one DLL. */
export function imphashOrdinalTable(dll: string): ReadonlyMap<number, string> | undefined {
  return TABLES[dll.toLowerCase()]
}
