"""The commit engine: everything that makes a configuration take effect, in one place.

- ``commit.py``: :class:`~nos_shell.engine.commit.Engine`, the commit transaction (lock,
  exclusive check, carry onto a moved running configuration, verify, arm commit-confirm,
  apply and archive, `confirm`, the end of a command file);
- ``moved.py``: a candidate against a running configuration that moved (one entry point);
- ``transaction.py``: the one journaled apply-and-archive step; ``journal.py`` its record;
- ``recovery.py``: an interrupted transaction resolved at every process start;
- ``confirm.py``: commit-confirm's arming and revert, and the timer process's entry point
  (``python -m nos_shell.engine.confirm``); ``confirm_record.py`` its record on disk,
  ``timer.py`` the timer process;
- ``boot.py``: `nos-shell boot`;
- ``sources.py``: configuration files named in `save`, `load`, `merge`.

Nothing here imports nos_shell.session: a Session, `nos-shell boot` and the commit-confirm
timer are all callers. Modules are imported on use (this package's import costs nothing).
"""
