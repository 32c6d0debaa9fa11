/* GovReport.exe: start the bundled Python's window program without a console window.
 *
 * Lives next to the python\ folder, in the installed copy and in the portable folder alike, so it
 * works wherever that folder is (a USB stick, D:\软件\GovReport 便携版). Runs
 *   "<own folder>\python\pythonw.exe" -E -s -X utf8 -m govreport_gui.app <its own arguments>
 * and returns the program's exit code. Its icon is GovReport's (Explorer, shortcuts, the zip).
 * Built by installer/windows/build.sh with `zig cc -target x86_64-windows-gnu`.
 */
#include <windows.h>
#include <wchar.h>

#define MAX_PATH_W 32768

static const wchar_t PYTHONW[] = L"python\\pythonw.exe";
static const wchar_t ARGS[] = L" -E -s -X utf8 -m govreport_gui.app";

static int fail(const wchar_t *what, const wchar_t *path) {
    wchar_t text[MAX_PATH_W + 512];
    _snwprintf(text, sizeof text / sizeof *text - 1, L"%ls\n\n%ls\n\n请把 GovReport 文件夹完整解压后再运行，不要只复制 GovReport.exe。",
               what, path);
    text[sizeof text / sizeof *text - 1] = 0;
    MessageBoxW(NULL, text, L"GovReport 无法启动", MB_OK | MB_ICONERROR);
    return 2;
}

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE previous, PWSTR arguments, int show) {
    (void)instance;
    (void)previous;
    static wchar_t python[MAX_PATH_W], line[2 * MAX_PATH_W];
    DWORD n = GetModuleFileNameW(NULL, python, MAX_PATH_W);
    if (n == 0 || n >= MAX_PATH_W) return 1;
    wchar_t *slash = wcsrchr(python, L'\\');
    if (slash == NULL || (size_t)(slash + 1 - python) + wcslen(PYTHONW) >= MAX_PATH_W) return 1;
    wcscpy(slash + 1, PYTHONW);
    if (GetFileAttributesW(python) == INVALID_FILE_ATTRIBUTES) return fail(L"找不到程序文件：", python);
    if (wcslen(python) + wcslen(ARGS) + wcslen(arguments) + 4 >= sizeof line / sizeof *line) return 1;
    _snwprintf(line, sizeof line / sizeof *line, L"\"%ls\"%ls%ls%ls", python, ARGS, *arguments ? L" " : L"", arguments);

    STARTUPINFOW startup = {0};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESHOWWINDOW;
    startup.wShowWindow = (WORD)show;  /* "run minimised/maximised" in a shortcut carries over */
    PROCESS_INFORMATION process;
    if (!CreateProcessW(python, line, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process))
        return fail(L"无法启动：", python);
    CloseHandle(process.hThread);
    WaitForSingleObject(process.hProcess, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(process.hProcess, &code);
    CloseHandle(process.hProcess);
    return (int)code;
}
