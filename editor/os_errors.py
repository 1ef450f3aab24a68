"""Operating-system errors said in Chinese.

``OSError.strerror`` is English ("Is a directory", "File name too long"); messages for the user
must not carry it. Every layer that reports a file problem (storage, import, export) words the
reason with :func:`os_reason` and adds its own "what to do".
"""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.EACCES: "没有权限",
    errno.EPERM: "操作不被允许（没有权限或文件被保护）",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "所在的磁盘或文件夹是只读的",
    errno.EIO: "读写磁盘时出错（磁盘可能有故障，或U盘、网络盘已断开）",
    errno.ELOOP: "快捷方式（符号链接）循环指向自己",
    errno.EEXIST: "同名文件已经存在",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENFILE: "同时打开的文件太多",
    errno.EINVAL: "文件名或参数不合法",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.ENXIO: "设备不存在或未连接",
    errno.ENODEV: "设备不存在或未连接",
    errno.EFBIG: "文件太大",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EAGAIN: "资源暂时不可用",
}
for _name, _text in (("ESTALE", "网络盘上的文件已失效"), ("ENOLCK", "无法给文件加锁"),
                     ("ETIMEDOUT", "网络盘响应超时"), ("EHOSTDOWN", "网络盘所在的电脑无法连接")):
    if hasattr(errno, _name):
        _REASONS[getattr(errno, _name)] = _text


def os_reason(exc: BaseException) -> str:
    """A short Chinese phrase for why an OS call failed (no English, no error numbers unless
    nothing better is known)."""
    if isinstance(exc, OSError):
        number = exc.errno
        if number in _REASONS:
            return _REASONS[number]
        if isinstance(exc, PermissionError):
            return _REASONS[errno.EACCES]
        if isinstance(exc, FileNotFoundError):
            return _REASONS[errno.ENOENT]
        if isinstance(exc, IsADirectoryError):
            return _REASONS[errno.EISDIR]
        if number:
            return f"系统错误（代码 {number}）"
    return "系统错误"


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
