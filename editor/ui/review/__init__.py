"""Review in the window: the 检查清单 and 问题 tabs of the 审核 dock, the findings
underlined in the text boxes, 已审/待审 on sections, the summary in the status bar and the
export gate.

:class:`ReviewFeature` builds everything (editor.ui.assemble makes it ``window.review``); the
export feature is given it and calls its ``confirm_export(parent)``.

Modules: ``feature`` (ReviewFeature: runs the checks, connects the rest), ``checklist_panel``,
``findings_panel``, ``underline`` (findings → wavy underlines), ``sections`` (已审/待审),
``dialogs`` (reviewer name, export gate), ``style`` (colours, marks, status words).
"""

from .feature import ReviewFeature

__all__ = ["ReviewFeature"]
