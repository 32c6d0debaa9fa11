; GovReport per-user Windows installer (no admin rights). Built by installer/windows/build.sh:
;   makensis -DSTAGE=<payload folder> -DOUTFILE=<setup.exe> govreport.nsi
; Writes only under %LOCALAPPDATA%\Programs\GovReport, the user's Start menu/desktop and HKCU.

Unicode true
Target amd64-unicode  ; wine64 and 64-bit Windows; the default x86 stub cannot run the x64 Python
RequestExecutionLevel user
ManifestDPIAware true
SetCompressor /SOLID lzma

!include "${STAGE}/payload.nsh"  ; VERSION, INSTALLED_KB
!include MUI2.nsh
!include LogicLib.nsh
!include WinVer.nsh

!define APP "GovReport"
!define APP_ZH "政府信息公开年报 GovReport"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\GovReport"
!define PROGID "GovReport.Report"
; The window: GovReport.exe (launcher/launcher.c) starts python\pythonw.exe -E -s -X utf8 -m govreport_gui.app
; (no console; -E -s ignore other Pythons' variables and user site-packages) and carries our icon.

Name "${APP_ZH}"
Caption "${APP_ZH} ${VERSION} 安装"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\GovReport"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "GovReport ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "GovReport"
VIAddVersionKey /LANG=2052 "FileDescription" "政府信息公开工作年度报告编制工具 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT License"

!define MUI_ICON "${STAGE}/govreport.ico"
!define MUI_UNICON "${STAGE}/govreport.ico"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "安装 ${APP_ZH} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "本程序将把 GovReport（政府信息公开工作年度报告编制工具）安装到您自己的用户目录，不需要管理员权限，也不连接网络。$\r$\n$\r$\n您的报告文件和设置不在安装目录中，卸载或升级都不会删除它们。$\r$\n$\r$\n点击“下一步”继续。"
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "现在启动 GovReport"
!define MUI_FINISHPAGE_RUN_FUNCTION LaunchApp

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ; Qt 6 supports Windows 10 1809 (build 17763) and later.
  ${IfNot} ${AtLeastBuild} 17763
    MessageBox MB_OK|MB_ICONSTOP "GovReport 需要 Windows 10 1809 版或更新的 Windows（64 位）。$\r$\n这台电脑的 Windows 版本太旧，无法安装。请联系本单位的信息技术人员。" /SD IDOK
    SetErrorLevel 3
    Quit
  ${EndIf}
FunctionEnd

Function LaunchApp
  Exec '"$INSTDIR\GovReport.exe"'
FunctionEnd

Section "GovReport 程序（必需）" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An older version's program files go first: nothing stale survives an upgrade. User data lives
  ; elsewhere (%APPDATA%\GovReport, %LOCALAPPDATA%\GovReport, wherever reports were saved).
  RMDir /r "$INSTDIR\python"
  File /r "${STAGE}/python"
  File "${STAGE}/GovReport.exe"
  File "${STAGE}/govreport.cmd"
  File "${STAGE}/govreport.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  SetOutPath "$DOCUMENTS"  ; the shortcut's working folder: file dialogs start among the user's documents
  CreateShortcut "$SMPROGRAMS\${APP_ZH}.lnk" "$INSTDIR\GovReport.exe" "" "$INSTDIR\govreport.ico" 0 SW_SHOWNORMAL "" "政府信息公开工作年度报告编制工具"

  ; .govreport opens in GovReport with its icon (per user: HKCU\Software\Classes).
  WriteRegStr HKCU "Software\Classes\.govreport" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "政府信息公开年报"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\govreport.ico"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\GovReport.exe" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'  ; SHCNE_ASSOCCHANGED: refresh icons

  ; Apps & features entry (per user).
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_ZH}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "GovReport"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\govreport.ico"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" ${INSTALLED_KB}
SectionEnd

Section "桌面快捷方式" SecDesktop
  SetOutPath "$DOCUMENTS"
  CreateShortcut "$DESKTOP\${APP_ZH}.lnk" "$INSTDIR\GovReport.exe" "" "$INSTDIR\govreport.ico" 0 SW_SHOWNORMAL "" "政府信息公开工作年度报告编制工具"
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "GovReport 程序、内置 Python 和 Qt 运行库、命令行工具 govreport.cmd，以及 .govreport 文件关联。"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "在桌面上放一个 GovReport 图标。"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Section "Uninstall"
  ; Program files only: reports, settings (%APPDATA%\GovReport) and recovery files
  ; (%LOCALAPPDATA%\GovReport) stay.
  RMDir /r "$INSTDIR\python"
  Delete "$INSTDIR\GovReport.exe"
  Delete "$INSTDIR\govreport.cmd"
  Delete "$INSTDIR\govreport.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"  ; only if empty: never removes anything the user put there
  Delete "$SMPROGRAMS\${APP_ZH}.lnk"
  Delete "$DESKTOP\${APP_ZH}.lnk"

  ReadRegStr $0 HKCU "Software\Classes\.govreport" ""
  ${If} $0 == "${PROGID}"
    DeleteRegKey HKCU "Software\Classes\.govreport"
  ${EndIf}
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "${UNINST_KEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
