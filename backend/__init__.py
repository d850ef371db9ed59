"""The hub: store, websockets server, command handling, SLA sweeper, simulator, CLI."""
