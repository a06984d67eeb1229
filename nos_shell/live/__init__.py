"""Long-running helpers the apply layer starts in the router's context.

- :mod:`.daemon`: start a program detached (own session, output to a log file, pid file),
  so that ``Context.run`` returns at once (gobgpd does not daemonize itself);
  run as ``python -m nos_shell.live.daemon``, through the target's exec prefix.

(GoBGP's route installer, once here, is part of its driver: ``backends/gobgp/routes.py``.)
"""
