"""Pure domain: hierarchy, catalog, calendar, lifecycle, permissions, KPIs, protocol. No Qt, no I/O."""
