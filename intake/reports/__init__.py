"""Reports for any period: the statutory annual report's tables and the quarterly table.

Everything is counted in SQL (`annual.py`); this package only shapes, hides small
numbers (`small_numbers.py`), draws (`charts.py`) and writes out (`formats.py`).
"""
