"""Command-line subcommands, one module each; every module has ``register(subparsers)``."""

MAX_ID = 2**63 - 1  # SQLite's largest INTEGER


class BadId(Exception):
    """Raised by :func:`report_id`; the parser says it in Chinese and exits 2."""


def report_id(text: str) -> int:
    """An argparse type: a report number 1 … 2^63−1 ("-1", "0", "abc" or a 20-digit number are
    refused with a Chinese sentence, never an OverflowError further down)."""
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise BadId(f"报告编号应为正整数（用“list”命令查看现有报告的编号），“{text}”不是有效的编号。")
    return int(value)
