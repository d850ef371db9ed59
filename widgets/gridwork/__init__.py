"""Qt views of the grid's own work: the grid portrait, the visit queue, the meeting log and
patrol coverage. They take the plain structs of ``domain.gridwork.wire`` and emit intents."""
