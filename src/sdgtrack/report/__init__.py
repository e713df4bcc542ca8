"""Reports made from the store for people outside it: the VNR statistical annex (``vnr.py``: what it
says; ``html.py``, ``word.py``, ``workbook.py``: how each format lays it out; ``output.py``: writing)."""
