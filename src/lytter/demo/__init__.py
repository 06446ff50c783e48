"""The bundled demo workspace: real, attributed public data (see data/ATTRIBUTION.md)."""
