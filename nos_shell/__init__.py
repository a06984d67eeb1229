"""nos-shell: a VyOS-style router shell for Linux."""
__version__ = "0.1.0"
