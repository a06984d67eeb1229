"""The host layer: the one way nos-shell touches the router it manages.

- :mod:`.run`: run a program in the router's context (the target's exec prefix, never a
  shell): ``run`` waits for it, ``spawn`` starts it (streams, detached daemons);
- :mod:`.netlink`: the one pyroute2 opener, on the target's network namespace;
- ``nos_shell.fsutil`` (kept at its old path: many modules import it): the one atomic
  file writer.

Everything above it (apply, operational views, completion, the SSH server) goes through
these, so a lab router in a namespace is reached the same way everywhere. A session's
target is loaded once (``Session.target``) and handed to them.
"""
