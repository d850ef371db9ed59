"""Intake from outside: API keys, filing outside requests as cases, places, the 12345 bridge.

``backend.http`` serves these over HTTP; ``backend.cli_intake`` manages keys and imports
hotline files. Everything is filed through the store's command path (``commands.execute``)
in one transaction with the intake row, so an outside request is either a whole case or nothing.
"""
