"""`python -m lytter.ingest.reader`: the import's reader process (see ingest/batches.py)."""

import sys

from lytter.ingest.batches import serve_reader

if __name__ == "__main__":
    stdout = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but batches may reach the pipe
    serve_reader(sys.stdin.buffer, stdout)
