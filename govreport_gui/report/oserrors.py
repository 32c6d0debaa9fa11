"""What went wrong with a file, in Chinese: the system's own text is English (“No space left on
device”, “[Errno 28]”) and never reaches a clerk."""

from __future__ import annotations

import errno

from .atomic import ReadOnlyFile

_TEXTS = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EFBIG: "文件超出磁盘或系统允许的大小（磁盘空间可能已满）",
    errno.EROFS: "磁盘或共享文件夹是只读的",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOENT: "文件或文件夹不存在（U 盘或网络盘可能已断开）",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EIO: "磁盘读写出错（U 盘、网络盘或磁盘可能有故障或已断开）",
    errno.EBUSY: "文件正被其他程序使用",
    errno.ETXTBSY: "文件正被其他程序使用",
    errno.EEXIST: "文件已存在",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "打开的文件过多",
    errno.EINVAL: "文件名或操作无效（文件名中可能有系统不允许的字符）",
    errno.ELOOP: "快捷方式（链接）指向自身，形成循环",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.ENXIO: "设备不可用（U 盘可能已拔出）",
    errno.ENODEV: "设备不可用（U 盘可能已拔出）",
}
for _name, _text in (("EDQUOT", "超出磁盘配额（可用空间已满）"), ("ESTALE", "网络文件已失效（共享文件夹可能已断开）"),
                     ("ENOTCONN", "网络连接已断开（共享文件夹不可用）"), ("EHOSTDOWN", "网络连接已断开（共享文件夹不可用）"),
                     ("EHOSTUNREACH", "网络连接已断开（共享文件夹不可用）"), ("ENETDOWN", "网络连接已断开（共享文件夹不可用）"),
                     ("ENETUNREACH", "网络连接已断开（共享文件夹不可用）"), ("ECONNRESET", "网络连接已断开（共享文件夹不可用）"),
                     ("ETIMEDOUT", "网络连接超时（共享文件夹不可用）"), ("ECONNABORTED", "网络连接已断开（共享文件夹不可用）")):
    if hasattr(errno, _name):
        _TEXTS[getattr(errno, _name)] = _text
# Windows reports these as winerror with a generic errno
_WINERROR = {32: "文件正被其他程序（如 Word、WPS）打开", 33: "文件正被其他程序（如 Word、WPS）锁定",
             112: "磁盘空间已满", 39: "磁盘空间已满", 53: "找不到网络路径（共享文件夹不可用）",
             64: "网络连接已断开（共享文件夹不可用）", 21: "设备未就绪（U 盘可能已拔出）"}
OPEN_ELSEWHERE = {errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY}


def os_error_text(e: BaseException) -> str:
    """A short Chinese phrase for an operating-system error (never the system's English text)."""
    if isinstance(e, ReadOnlyFile):
        return "文件是只读的"
    winerror = getattr(e, "winerror", None)
    if winerror in _WINERROR:
        return _WINERROR[winerror]
    code = getattr(e, "errno", None)
    if code in _TEXTS:
        return _TEXTS[code]
    if isinstance(e, OSError) and code:
        return f"系统错误（错误码 {code}）"
    return "系统错误"


def may_be_open_elsewhere(e: BaseException) -> bool:
    """Whether “the file may be open in Word/WPS” is a fair guess for ``e`` (never for a full disk)."""
    if isinstance(e, ReadOnlyFile):
        return False
    return getattr(e, "winerror", None) in (32, 33) or getattr(e, "errno", None) in OPEN_ELSEWHERE
