"""Data files: catalog, calendars, themes, translations, sounds."""
