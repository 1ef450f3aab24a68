"""Entry point of the frozen build (PyInstaller): ``--version`` without importing the command
line, then the same ``editor.cli.main`` that ``python main.py`` runs.

``REPORT_EDITOR_TRACEBACK=1`` prints the traceback behind the one-sentence internal-error
message (for a maintainer looking at a build: a module the build left out shows here)."""

import os
import sys

from editor.version import print_version_if_asked

if __name__ == "__main__":
    if print_version_if_asked(sys.argv[1:]):
        sys.exit(0)
    from editor import cli

    if os.environ.get("REPORT_EDITOR_TRACEBACK"):
        import traceback

        _said = cli._last_resort

        def _last_resort(exc):
            traceback.print_exception(exc)
            return _said(exc)

        cli._last_resort = _last_resort
    sys.exit(cli.main())
