"""Trainer mode's hub-side parts: the scorecard from the event log, hand injections, replay, export."""
