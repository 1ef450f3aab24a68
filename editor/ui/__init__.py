"""The PySide6 user interface. The only package (with main.py) that imports Qt.

Entry point: :func:`editor.ui.app.run_gui`. The window: :class:`editor.ui.main_window.MainWindow`
(the shell and its hooks: ``review_tabs``, ``current_report``, ``report_changed``,
``show_place``, ``add_report_action``, ``save_now``, ``page(name)``) with its parts
``reports``, ``stack`` and ``sections``; :mod:`editor.ui.assemble` adds the features, each with
the neighbours it needs. The window reaches the database only through its ``service``.
"""
