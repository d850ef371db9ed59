"""The map: areas coloured by a figure, cases as points, heat; one painted widget (no network)."""
