"""The application: windows per mode, controllers, settings, the gridcc command."""
