"""The simulator: scenarios, arrivals, virtual actors and the engine that runs them through the store.

``engine.Simulator`` is the entry point; ``report`` computes a day's figures from the
database for `gridcc-hub report day`.
"""
