"""Reusable Qt widgets and models. They take models and emit intents; no network."""

from widgets.pyqtgraph_lazy import install as _install_lazy_pyqtgraph

# Before any module here imports pyqtgraph: else its Qt mirrors build every Qt class (~8 MB).
_install_lazy_pyqtgraph()
