"""The PySide6 user interface. The only package (with main.py) that imports Qt.

Entry point: :func:`editor.ui.app.run_gui`. Hooks for other panels: see
:class:`editor.ui.main_window.MainWindow` (``review_tabs``, ``current_report``,
``report_changed``, ``show_place``, ``add_report_action``, ``save_now``).
"""
