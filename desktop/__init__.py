"""The application: windows per mode, controllers, settings, the gridcc command."""

from desktop.pyside_scan import install as _install_pyside_scan

# Before any module here imports PySide6: shiboken then reads the source of every module imported
# after it and, unless this is installed, keeps all of it (desktop/pyside_scan.py).
_install_pyside_scan()
