"""Daemon-independent models of the tree that several drivers share (pure)."""
