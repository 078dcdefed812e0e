"""One module per lab (``labNN.py``), each defining ``LAB``: its questions and tests."""
