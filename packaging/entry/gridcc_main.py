"""The bundle's entry point: the same `gridcc` command the wheel installs (desktop.cli:main)."""

import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen app re-enters here for any child process
    sys.exit(main())
