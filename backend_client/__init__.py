"""The client: connection worker, replica, outbox, and one small Qt bridge."""
