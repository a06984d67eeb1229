"""The host layer: the one way nos-shell touches the router it manages.

- :mod:`.run`: run a program in the router's context (the target's exec prefix, never a shell);
- (to come in this package) the netlink opener that honours the target's namespace and the
  atomic file writer.

Everything above it (apply, operational views, the SSH server) goes through these, so a lab
router in a namespace is reached the same way everywhere.
"""
