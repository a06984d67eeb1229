"""Interactive front ends of nos-shell.

- ``app``: the prompt_toolkit shell for people at a terminal (completion, `?` help,
  highlighting, toolbar, history); ``run_app`` works over any prompt_toolkit input/output.
- ``context``, ``completer``, ``help``, ``lexer``, ``toolbar``, ``history``: its parts.
- ``plain`` and ``ssh``: the plain line mode for automation clients and the SSH server.

Importing this package imports nothing heavy; prompt_toolkit is only loaded by the modules
that need it.
"""
