#!/usr/bin/env python3
"""Which glibc / libstdc++ an unpacked build (or its .tar.gz) needs, from the ELF files' symbol
version requirements (.gnu.version_r, what `objdump -T` lists as needed), without binutils.

    python3 packaging/check_glibc.py dist/fazhi-report-editor-0.1.0-linux-x86_64[.tar.gz]
        [--files] [--needed]

Prints, for GLIBC_, GLIBCXX_, CXXABI_ and GCC_ (libgcc_s), the highest version any file needs
and the file that needs it, then every file above the floor of packaging/target.env (the oldest
desktops: UOS V20's glibc 2.28 and gcc 8's libstdc++). Exit status 1 when a file needs more
than the floor (or a GLIBC_PRIVATE symbol), 0 otherwise. --files: each ELF file's needs;
--needed: the shared libraries the files load that the build does not carry (what the PC must
have). tests/test_dist.py uses scan() and over_floor() on the archive.
"""

from __future__ import annotations

import argparse
import re
import struct
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_FILE = HERE / "target.env"
# symbol-version prefix → the key of its floor in target.env
PREFIXES = {"GLIBC": "TARGET_GLIBC", "GLIBCXX": "TARGET_GLIBCXX", "CXXABI": "TARGET_CXXABI",
            "GCC": "TARGET_GCC"}
SHT_DYNAMIC, SHT_GNU_VERNEED = 6, 0x6FFFFFFE
DT_NEEDED, DT_SONAME = 1, 14


def read_floor(path: Path = TARGET_FILE) -> dict[str, str]:
    """{'GLIBC': '2.28', 'GLIBCXX': '3.4.25', …} from packaging/target.env."""
    values = dict(re.findall(r"(?m)^(TARGET_\w+)=([0-9.]+)\s*$", path.read_text(encoding="utf-8")))
    return {prefix: values[key] for prefix, key in PREFIXES.items() if key in values}


def vkey(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


@dataclass
class Elf:
    name: str
    soname: str | None = None
    needed: list[str] = field(default_factory=list)
    # prefix ('GLIBC', …) → versions needed, e.g. {'GLIBC': {'2.2.5', '2.14'}}
    versions: dict[str, set[str]] = field(default_factory=dict)
    private: bool = False  # needs GLIBC_PRIVATE (glibc-internal: breaks on any other glibc)

    def highest(self, prefix: str) -> str | None:
        got = self.versions.get(prefix)
        return max(got, key=vkey) if got else None


def parse_elf(name: str, data: bytes) -> Elf | None:
    """The dynamic needs of one ELF file (64-bit little-endian), None for anything else."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return None
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    if not shoff or not shnum:
        return Elf(name)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]

    def cstr(section_index: int, offset: int) -> str:
        base = sections[section_index][4] + offset
        return data[base:data.index(b"\0", base)].decode("ascii", "replace")

    elf = Elf(name)
    for _name, sh_type, _fl, _addr, off, size, link, info, _al, _es in sections:
        if sh_type == SHT_DYNAMIC:
            for pos in range(off, off + size, 16):
                tag, val = struct.unpack_from("<qQ", data, pos)
                if tag == 0:
                    break
                if tag == DT_NEEDED:
                    elf.needed.append(cstr(link, val))
                elif tag == DT_SONAME:
                    elf.soname = cstr(link, val)
        elif sh_type == SHT_GNU_VERNEED:
            pos = off
            for _ in range(info):  # Elf64_Verneed: version, cnt, file, aux, next
                _v, cnt, _file, aux, nxt = struct.unpack_from("<HHIII", data, pos)
                apos = pos + aux
                for _ in range(cnt):  # Elf64_Vernaux: hash, flags, other, name, next
                    _h, _f, _o, vname, anext = struct.unpack_from("<IHHII", data, apos)
                    version = cstr(link, vname)
                    if version == "GLIBC_PRIVATE":
                        elf.private = True
                    m = re.fullmatch(r"([A-Z]+)_([0-9][0-9.]*)", version)
                    if m and m.group(1) in PREFIXES:
                        elf.versions.setdefault(m.group(1), set()).add(m.group(2))
                    apos += anext
                if not nxt:
                    break
                pos += nxt
    return elf


def scan(path: str | Path) -> list[Elf]:
    """Every ELF file under a folder, or in a .tar.gz, with its needs."""
    path = Path(path)
    found = []
    if path.is_dir():
        for f in sorted(path.rglob("*")):
            if f.is_file() and not f.is_symlink():
                with open(f, "rb") as fh:
                    if fh.read(4) != b"\x7fELF":
                        continue
                elf = parse_elf(f.relative_to(path).as_posix(), f.read_bytes())
                if elf:
                    found.append(elf)
    else:
        with tarfile.open(path) as tar:
            for member in tar:
                if not member.isfile():
                    continue
                fh = tar.extractfile(member)
                head = fh.read(4)
                if head != b"\x7fELF":
                    continue
                elf = parse_elf(member.name, head + fh.read())
                if elf:
                    found.append(elf)
    return found


def highest(elves: list[Elf], prefix: str) -> tuple[str | None, str | None]:
    """(highest version of prefix any file needs, the first file that needs it)."""
    best, who = None, None
    for elf in elves:
        v = elf.highest(prefix)
        if v and (best is None or vkey(v) > vkey(best)):
            best, who = v, elf.name
    return best, who


def over_floor(elves: list[Elf], floor: dict[str, str] | None = None) -> list[str]:
    """One line for each file that needs more than the floor (or GLIBC_PRIVATE)."""
    floor = read_floor() if floor is None else floor
    bad = []
    for elf in elves:
        if elf.private:
            bad.append(f"{elf.name}: GLIBC_PRIVATE")
        for prefix, limit in floor.items():
            v = elf.highest(prefix)
            if v and vkey(v) > vkey(limit):
                bad.append(f"{elf.name}: {prefix}_{v} > {prefix}_{limit}")
    return bad


def external_needs(elves: list[Elf]) -> dict[str, list[str]]:
    """Shared libraries loaded by the files but not carried: soname → files that load it."""
    carried = {Path(e.name).name for e in elves} | {e.soname for e in elves if e.soname}
    missing: dict[str, list[str]] = {}
    for elf in elves:
        for lib in elf.needed:
            if lib not in carried:
                missing.setdefault(lib, []).append(elf.name)
    return dict(sorted(missing.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", help="an unpacked build folder or its .tar.gz")
    ap.add_argument("--files", action="store_true", help="each ELF file's highest needs")
    ap.add_argument("--needed", action="store_true", help="libraries the PC must provide")
    args = ap.parse_args(argv)
    elves = scan(args.path)
    floor = read_floor()
    print(f"{len(elves)} ELF files in {args.path}; floor (packaging/target.env): "
          + ", ".join(f"{p}_{v}" for p, v in floor.items()))
    for prefix in PREFIXES:
        v, who = highest(elves, prefix)
        print(f"  highest {prefix + '_':9} {v or '-':8} {who or ''}")
    if args.files:
        for elf in elves:
            needs = " ".join(f"{p}_{elf.highest(p)}" for p in PREFIXES if elf.highest(p))
            print(f"    {elf.name}: {needs or '(none)'}")
    if args.needed:
        print("libraries the PC must provide:")
        for lib, users in external_needs(elves).items():
            print(f"    {lib:28} ({len(users)} files, e.g. {users[0]})")
    bad = over_floor(elves, floor)
    for line in bad:
        print("  OVER FLOOR " + line)
    print(f"{len(bad)} files over the floor" if bad else "all files within the floor")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
