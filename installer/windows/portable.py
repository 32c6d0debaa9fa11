"""Pack the staged Windows payload as GovReport-<version>-portable.zip: for PCs where installing is not
allowed. The same files the installer copies (python\\, GovReport.exe, govreport.cmd, the icon) under
one folder GovReport-<version>\\, plus a README.txt in Chinese. Nothing is registered anywhere.

Usage: portable.py STAGE OUT.zip VERSION
"""

from __future__ import annotations

import sys
import time
import zipfile
from pathlib import Path

PAYLOAD = ("python", "GovReport.exe", "govreport.cmd", "govreport.ico")

README = """GovReport 便携版 {version}（政府信息公开工作年度报告编制工具）
================================================================

不需要安装，不需要管理员权限，不写注册表，不连接网络。要求 64 位 Windows 10 1809 或更新版本。

使用
----
1. 把整个 GovReport-{version} 文件夹放到任意位置：本机硬盘（如 D:\\软件\\GovReport 便携版）、U 盘、
   网络共享均可，路径中可以有空格和中文。不要只复制 GovReport.exe，python 文件夹必须在它旁边。
2. 双击 GovReport.exe 打开窗口（不会出现黑色命令行窗口）。
3. 便携版不登记 .govreport 文件类型：在窗口中用“文件 → 打开”，或把报告文件拖到 GovReport.exe 上。
4. 命令行用法与安装版相同：govreport.cmd --self-check、govreport.cmd check 报告.govreport ……

设置和自动恢复文件放在哪里
--------------------------
- 默认与安装版相同：窗口和最近文件等设置在 %APPDATA%\\GovReport\\GovReport.ini，
  自动恢复文件和出错记录 errors.log 在 %LOCALAPPDATA%\\GovReport\\GovReport。
- 在本文件夹（GovReport.exe 旁边）新建一个名为 portable 的空文件（没有扩展名）后，它们改存在本文件夹的
  “用户数据”子文件夹中，随 U 盘一起带走。本文件夹不能写入时（只读共享）仍用上面的默认位置。

从网上或邮件取得的压缩包
------------------------
解压前在压缩包上点右键 → 属性 → 勾选“解除锁定”→ 确定，再解压；否则 Windows 可能每次启动都提示安全警告。
单位的软件限制策略（AppLocker）若禁止运行该位置的程序，请信息技术人员放行本文件夹中的 GovReport.exe、
python\\pythonw.exe 和 python\\python.exe。

升级：解压新版本到新文件夹即可；设置和恢复文件不在程序文件夹中（除非使用了 portable 文件），新版本直接沿用。
"""


def build(stage: Path, out: Path, version: str) -> None:
    top = f"GovReport-{version}"
    stamp = time.localtime()[:6]
    files = []
    for name in PAYLOAD:
        path = stage / name
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    tmp = out.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        readme = README.format(version=version).replace("\n", "\r\n")
        info = zipfile.ZipInfo(f"{top}/README.txt", stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, "\ufeff" + readme)  # BOM: Notepad on older Windows 10 reads it as UTF-8
        for path in files:
            rel = path.relative_to(stage).as_posix()
            if not rel.isascii():  # Explorer reads names in the OEM code page unless told: keep them ASCII
                raise SystemExit(f"构建失败：载荷中的文件名不是 ASCII：{rel}")
            info = zipfile.ZipInfo(f"{top}/{rel}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, path.read_bytes())
    tmp.replace(out)


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
