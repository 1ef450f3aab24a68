"""法治政府建设年度报告编辑器 — entry point. See README.md and ``python main.py --help``."""

import sys

from editor.cli import main

if __name__ == "__main__":
    sys.exit(main())
