"""Reusable Qt widgets and models. They take models and emit intents; no network."""
