"""The finance department's CSV/XLSX templates: one module per table, written and read with the
same columns so that export → import gives back exactly what was stored (issue 13 item 6).

``soundness.py`` is the pattern: column titles, ``*_export_csv`` / ``*_export_xlsx`` and
``*_parse`` (bytes → typed rows, or ``TableError`` naming the cell). The write is a service
(``services.imports``), atomic: one bad cell and nothing is stored.
"""
