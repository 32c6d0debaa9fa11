/* TEST-ONLY stand-in for Windows' bcryptprimitives.dll, which wine 8.0 lacks (wine 9 has it).
 * Rust's standard library (cryptography's _rust.pyd, pulled in by pdfminer.six) asks it for
 * ProcessPrng; every Windows 10 has the real DLL. Installed into the test prefixes by wine.py. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom, advapi32 */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG n = length > 0x7FFFFFFF ? 0x7FFFFFFF : (ULONG)length;
        if (!SystemFunction036(data, n)) return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
