"""Long-running helpers the apply layer starts in the router's context.

- :mod:`.daemon`: start a program detached (own session, output to a log file, pid file),
  so that ``Context.run`` returns at once (gobgpd does not daemonize itself);
- :mod:`.gobgp_routes`: installs the best paths gobgpd learned from its peers into the
  kernel (GoBGP has no kernel protocol), and removes them when they are withdrawn.

Both are run as ``python -m nos_shell.live.NAME``, through the target's exec prefix.
"""
