"""The grid's own work (网格工作): the register behind the grid portrait, special-care visits,
grid self-management committee meetings (网格自管会), patrols and the worker roster.

Pure, like the rest of ``domain``: structs that travel over the wire, the rules for visit
frequencies, the patrol plan of a day, the figures, and masking of personal data by role.
The hub stores and serves these (``backend.gridwork``); cases stay in ``domain.lifecycle``.
"""
